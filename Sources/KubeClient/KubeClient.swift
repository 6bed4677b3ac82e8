/// The Kubernetes REST API over libcurl.
public enum KubeClientModule {}
