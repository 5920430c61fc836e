using Akka.Actor;

namespace Fanout.Subscribers;

/// <summary>
/// The actor system's heartbeat wheels, one per heartbeat interval (a node has one; tests may
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

    /// <summary>The wheel of <paramref name="system"/> that keeps streams from going silent for <paramref name="interval"/>.</summary>
    public static HeartbeatWheel Get(ActorSystem system, TimeSpan interval) =>
        system.WithExtension<HeartbeatWheelExtension, HeartbeatWheelExtensionId>().Wheel(interval);

    // Asked once per subscriber start: a lock is cheap there, and no second wheel (and timer) is ever made.
    private HeartbeatWheel Wheel(TimeSpan interval)
    {
        lock (_wheels)
        {
            if (!_wheels.TryGetValue(interval, out var wheel))
            {
                wheel = new HeartbeatWheel(interval);
                _wheels.Add(interval, wheel);
            }

            return wheel;
        }
    }
}

public sealed class HeartbeatWheelExtensionId : ExtensionIdProvider<HeartbeatWheelExtension>
{
    public override HeartbeatWheelExtension CreateExtension(ExtendedActorSystem system) => new(system);
}
