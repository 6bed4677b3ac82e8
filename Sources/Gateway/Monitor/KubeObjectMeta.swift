import KubeClient

/// KubeClient's `ObjectMeta` under a name that does not clash with GatewayCore's (the module name
/// `KubeClient` is shadowed by its class, so `KubeClient.ObjectMeta` cannot be written).
typealias KubeObjectMeta = ObjectMeta
