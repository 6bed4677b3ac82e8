/// A simulated Spark-on-Kubernetes API server, for tests, benchmarks and dev mode.
public enum KubeSimulatorModule {}
