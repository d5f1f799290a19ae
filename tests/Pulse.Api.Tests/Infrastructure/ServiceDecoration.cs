using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Pulse.Api.Tests.Infrastructure;

/// <summary>Wraps the service the host registered last for a service type, however it was registered.</summary>
public static class ServiceDecoration
{
    public static void Decorate<TService>(this IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        var registered = services.Last(d => d.ServiceType == typeof(TService));
        services.Replace(ServiceDescriptor.Singleton<TService>(sp => decorate(Create<TService>(registered, sp), sp)));
    }

    private static TService Create<TService>(ServiceDescriptor registered, IServiceProvider services)
        where TService : class =>
        (TService)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}
