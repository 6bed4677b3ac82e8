// Pieces of BPG's configuration file that the benchmarks running the real `bpg` share, and a free
// loopback port for it to listen on.
import Foundation

/// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's pick for port 0).
public func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

public enum BenchConfiguration {
    /// The top of a configuration: context path, every user allowed, the Spark 3.5.0 Java/Scala
    /// image and the `dev` queue; `extra` lines (top-level keys) go between the users and the images.
    public static func header(extra: String = "") -> String {
        """
        applicationContextPath: /skatev2
        allowedUsers: ['*']
        \(extra)sparkImages:
          - name: apache/spark:3.5.0
            types: [Java, Scala]
            version: '3.5.0'
        queues:
          - name: dev

        """
    }

    /// One `sparkClusters` entry (indented to follow `sparkClusters:`) for a simulated cluster on
    /// Spark 3.5.0 serving the `dev` queue; `caBase64` is the cluster CA's PEM in base64, `extra` more
    /// lines of the entry, each indented by four spaces.
    public static func clusterEntry(
        id: String, weight: Int, masterURL: String, caBase64: String, token: String, namespace: String, extra: String = ""
    ) -> String {
        """
          - id: \(id)
            weight: \(weight)
            masterUrl: \(masterURL)
            caCertDataSOPS: \(caBase64)
            userTokenSOPS: plaintext:\(token)
            sparkApplicationNamespace: \(namespace)
            sparkVersions: ['3.5.0']
            queues: [dev]
        \(extra)
        """
    }
}
