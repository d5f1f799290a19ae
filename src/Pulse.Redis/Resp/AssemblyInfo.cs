using System.Runtime.CompilerServices;

// The tests exercise the RESP parser directly with replies split at every byte boundary.
[assembly: InternalsVisibleTo("Pulse.Redis.Tests")]
