/// Where the repository is, for drivers that read its files (TLS fixtures, the `bpg` binary's
/// neighbours). The one way to find it: `bench/lib/common.sh` exports `BENCH_ROOT`, the parent of
/// `bench/` (the directory `bench/Package.swift` depends on by path); drivers read it here.
import Foundation

public enum Repository {
    /// The repository root, from `BENCH_ROOT`; stops the driver with a message when it is not set.
    public static var root: String {
        guard let value = getenv("BENCH_ROOT"), !String(cString: value).isEmpty else {
            FileHandle.standardError.write(Data("BENCH_ROOT is not set: run the benchmarks through bench/run-all.sh or bench/<name>/run.sh\n".utf8))
            exit(2)
        }
        return String(cString: value)
    }

    /// A path inside the repository.
    public static func path(_ relative: String) -> String {
        root + "/" + relative
    }
}
