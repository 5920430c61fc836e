using EmbeddedHub;

await HubApp.Build(args).RunAsync();
