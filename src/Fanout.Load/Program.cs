using Fanout.Load.Cli;

return await LoadCommand.Create().Parse(args).InvokeAsync();
