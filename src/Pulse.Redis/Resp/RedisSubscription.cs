namespace Pulse.Redis.Resp;

/// <summary>A handler registered with <see cref="RedisConnection.SubscribeAsync"/>; dispose it to stop receiving messages.</summary>
public sealed class RedisSubscription : IAsyncDisposable
{
    private readonly RedisSubscriber _subscriber;
    private readonly Action<string, ReadOnlyMemory<byte>> _handler;
    private int _disposed;

    internal RedisSubscription(RedisSubscriber subscriber, string channel, Action<string, ReadOnlyMemory<byte>> handler)
    {
        _subscriber = subscriber;
        Channel = channel;
        _handler = handler;
    }

    public string Channel { get; }

    /// <summary>Removes the handler; the channel is unsubscribed when it was the last one. Never throws.</summary>
    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? _subscriber.RemoveAsync(Channel, _handler) : ValueTask.CompletedTask;
}
