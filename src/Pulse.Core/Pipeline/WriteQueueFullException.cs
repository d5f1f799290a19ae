namespace Pulse.Core.Pipeline;

/// <summary>The write queue is at capacity: the caller should answer 503 with Retry-After.</summary>
public sealed class WriteQueueFullException() : Exception("The write queue is full; retry shortly.");
