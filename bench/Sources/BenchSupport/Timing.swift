import Foundation

extension Duration {
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    public var milliseconds: Double { seconds * 1e3 }
    public var microseconds: Double { seconds * 1e6 }
}

/// CPU time of the calling thread, in seconds: unlike wall time it excludes the time other processes
/// of a shared machine hold the core.
public func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Resident memory of a process in MB (`VmRSS`, or another `/proc/PID/status` field such as `VmHWM`).
public func residentMegabytes(_ pid: Int32, field: String = "VmRSS") -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
        let kilobytes = line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap({ Double($0) })
    else { return .nan }
    return kilobytes / 1024
}
