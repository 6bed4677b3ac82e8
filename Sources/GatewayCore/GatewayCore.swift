/// The gateway's pure-Swift core: submission models, configuration, validation, routing policies and
/// translation to a `SparkApplication`. It performs no I/O, so every policy tests in isolation.
public enum GatewayCore {}
