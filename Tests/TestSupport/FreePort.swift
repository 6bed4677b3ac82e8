import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP port that is free now, below Linux's ephemeral range (32768–60999), for a server a
/// test starts later (a child process such as MariaDB, openssl or nginx). A port from the ephemeral
/// range could meanwhile be handed to another test's port-0 listener or outgoing connection — seen as
/// "Address already in use" in parallel runs.
public func freePortBelowEphemeralRange() throws -> Int {
    for _ in 0..<200 {
        let port = Int.random(in: 20_000..<32_000)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { continue }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        if bound { return port }
    }
    throw FreePortUnavailable()
}

/// No port in 20000–31999 could be bound.
public struct FreePortUnavailable: Error, CustomStringConvertible {
    public var description: String { "no free loopback port found below 32000" }
}
