// The benchmarks' command line over BenchSupport, for the shell scripts: the same statistics and
// the same table as the Swift drivers.
//
//   BenchKit stats [P...]          numbers on stdin (one a line or space-separated): prints
//                                  "count=N min=… median=… max=… pP=…" (default P: 50 99)
//   BenchKit median X...           the median of the arguments
//   BenchKit ratio VALUE REFERENCE VALUE / REFERENCE
//   BenchKit median-ratio "V1 V2 …" "R1 R2 …"   the median of the per-round ratios Vi / Ri
//   BenchKit record BENCHMARK FIGURE VALUE UNIT REFERENCE RATIO TARGET
//                                  appends one figure to $BENCH_RESULTS (RATIO and TARGET may be "-";
//                                  TARGET is "<= 1000", ">= 0.9" or "ratio >= 0.9")
//   BenchKit table FILE            prints the results table of FILE
import BenchSupport
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("BenchKit: \(message)\n".utf8))
    exit(2)
}

func numbers(_ texts: some Sequence<Substring>) -> [Double] {
    texts.map { text in
        guard let value = Double(text) else { fail("not a number: '\(text)'") }
        return value
    }
}

func show(_ value: Double) -> String {
    value.isNaN ? "nan" : String(format: "%.6g", value)
}

var arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.isEmpty ? "" : arguments.removeFirst()
switch command {
case "stats":
    let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    let sample = Sample(numbers(input.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })))
    let percentiles = arguments.isEmpty ? [50.0, 99.0] : numbers(arguments.map { Substring($0) })
    var fields = ["count=\(sample.count)", "min=\(show(sample.min))", "median=\(show(sample.median))", "max=\(show(sample.max))"]
    fields += percentiles.map { "p\(formatNumber($0))=\(show(sample.percentile($0)))" }
    print(fields.joined(separator: " "))
case "median":
    print(show(Sample(numbers(arguments.map { Substring($0) })).median))
case "ratio" where arguments.count == 2:
    let values = numbers(arguments.map { Substring($0) })
    print(show(ratio(values[0], to: values[1])))
case "median-ratio" where arguments.count == 2:
    let values = numbers(arguments[0].split(separator: " "))
    let references = numbers(arguments[1].split(separator: " "))
    guard values.count == references.count else { fail("median-ratio: \(values.count) values, \(references.count) references") }
    print(show(medianRatio(values, to: references)))
case "record" where arguments.count == 7:
    guard let value = Double(arguments[2]) else { fail("record: value '\(arguments[2])' is not a number") }
    guard arguments[6] == "-" || Target(arguments[6]) != nil else { fail("record: target '\(arguments[6])' not understood") }
    record(
        arguments[0], arguments[1], value, arguments[3], reference: arguments[4], ratio: Double(arguments[5]) ?? .nan,
        target: Target(arguments[6]))
case "table" where arguments.count == 1:
    guard let text = try? String(contentsOfFile: arguments[0], encoding: .utf8) else { fail("cannot read \(arguments[0])") }
    print(renderTable(text.split(separator: "\n").compactMap { Figure(line: $0) }))
default:
    fail("usage: BenchKit stats [P...] | median X... | ratio V R | median-ratio \"V...\" \"R...\" | record … | table FILE")
}
