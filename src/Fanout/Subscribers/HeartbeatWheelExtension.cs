using Akka.Actor;

namespace Fanout.Subscribers;

/// <summary>
/// The actor system's heartbeat wheels, one per check interval (a node has one; tests may
/// run subscribers with different settings in one system), made on first use and stopped
/// when the system terminates.
/// </summary>
public sealed class HeartbeatWheelExtension : IExtension
{
    private readonly Dictionary<TimeSpan, HeartbeatWheel> _wheels = [];

    public HeartbeatWheelExtension(ExtendedActorSystem system) =>
        system.RegisterOnTermination(() =>
        {
            lock (_wheels)
            {
                foreach (var wheel in _wheels.Values)
                {
                    wheel.Dispose();
                }

                _wheels.Clear();
            }
        });

    /// <summary>The wheel of <paramref name="system"/> that checks every <paramref name="check"/>.</summary>
    public static HeartbeatWheel Get(ActorSystem system, TimeSpan check) =>
        system.WithExtension<HeartbeatWheelExtension, HeartbeatWheelExtensionId>().Wheel(check);

    // Asked once per subscriber start: a lock is cheap there, and no second wheel (and timer) is ever made.
    private HeartbeatWheel Wheel(TimeSpan check)
    {
        lock (_wheels)
        {
            if (!_wheels.TryGetValue(check, out var wheel))
            {
                wheel = new HeartbeatWheel(check);
                _wheels.Add(check, wheel);
            }

            return wheel;
        }
    }
}

public sealed class HeartbeatWheelExtensionId : ExtensionIdProvider<HeartbeatWheelExtension>
{
    public override HeartbeatWheelExtension CreateExtension(ExtendedActorSystem system) => new(system);
}
