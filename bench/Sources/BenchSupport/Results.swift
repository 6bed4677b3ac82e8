import Foundation

/// A target a figure is held to: `value <= 1000`, or `ratio >= 0.9` when it bounds the ratio to the
/// same-run reference. Written as text in the results file: `<= 1000`, `ratio >= 0.9`.
public struct Target: Sendable, CustomStringConvertible {
    public enum Subject: String, Sendable { case value, ratio }
    public enum Comparison: String, Sendable { case atMost = "<=", atLeast = ">=", equal = "==" }

    public var subject: Subject
    public var comparison: Comparison
    public var bound: Double

    public static func value(_ comparison: Comparison, _ bound: Double) -> Target {
        Target(subject: .value, comparison: comparison, bound: bound)
    }

    public static func ratio(_ comparison: Comparison, _ bound: Double) -> Target {
        Target(subject: .ratio, comparison: comparison, bound: bound)
    }

    public init(subject: Subject, comparison: Comparison, bound: Double) {
        self.subject = subject
        self.comparison = comparison
        self.bound = bound
    }

    /// Parses `<= 1000`, `>= 0.9`, `ratio >= 0.9`, `== 0`; nil for anything else (`-`).
    public init?(_ text: String) {
        var words = text.split(separator: " ").map(String.init)
        var subject = Subject.value
        if words.first == "ratio" {
            subject = .ratio
            words.removeFirst()
        }
        guard words.count == 2, let comparison = Comparison(rawValue: words[0]), let bound = Double(words[1]) else {
            return nil
        }
        self.init(subject: subject, comparison: comparison, bound: bound)
    }

    public var description: String {
        let number = bound == bound.rounded() && abs(bound) < 1e15 ? String(Int(bound)) : String(bound)
        return (subject == .ratio ? "ratio " : "") + "\(comparison.rawValue) \(number)"
    }

    /// Whether a figure meets the target; nil when the number it bounds is missing.
    public func isMet(value: Double, ratio: Double) -> Bool? {
        let measured = subject == .value ? value : ratio
        guard !measured.isNaN else { return nil }
        switch comparison {
        case .atMost: return measured <= bound
        case .atLeast: return measured >= bound
        case .equal: return measured == bound
        }
    }
}

/// One line of the results table: a figure, its same-run reference, their ratio and the target.
///
/// Every benchmark appends its figures to the file named by `BENCH_RESULTS` (one tab-separated
/// record a line: benchmark, figure, value, unit, reference, ratio, target); `BenchKit table` prints
/// them. Without `BENCH_RESULTS` nothing is written: the benchmark's own output is what one reads.
public struct Figure: Sendable {
    public var benchmark: String
    public var name: String
    public var value: Double
    public var unit: String
    /// The same-run reference, as text with its value ("nginx 98,000 req/s"); "-" when there is none.
    public var reference: String
    public var ratio: Double
    public var target: Target?

    public init(
        benchmark: String, name: String, value: Double, unit: String, reference: String = "-", ratio: Double = .nan,
        target: Target? = nil
    ) {
        self.benchmark = benchmark
        self.name = name
        self.value = value
        self.unit = unit
        self.reference = reference
        self.ratio = ratio
        self.target = target
    }

    /// The record's line in the results file.
    public var line: String {
        [benchmark, name, String(value), unit, reference, ratio.isNaN ? "-" : String(ratio), target?.description ?? "-"]
            .map { $0.replacingOccurrences(of: "\t", with: " ") }
            .joined(separator: "\t")
    }

    public init?(line: Substring) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 7 else { return nil }
        self.init(
            benchmark: fields[0], name: fields[1], value: Double(fields[2]) ?? .nan, unit: fields[3],
            reference: fields[4], ratio: Double(fields[5]) ?? .nan, target: Target(fields[6]))
    }

    /// Appends the record to `BENCH_RESULTS` when it is set.
    public func record() {
        guard let path = getenv("BENCH_RESULTS").map({ String(cString: $0) }), !path.isEmpty,
            let file = fopen(path, "a")
        else { return }
        fputs(line + "\n", file)
        fclose(file)
    }

    public var verdict: String {
        guard let target else { return "-" }
        switch target.isMet(value: value, ratio: ratio) {
        case true?: return "met"
        case false?: return "MISSED"
        case nil: return "no data"
        }
    }
}

/// Records a figure (see ``Figure``) and returns it.
@discardableResult
public func record(
    _ benchmark: String, _ name: String, _ value: Double, _ unit: String, reference: String = "-",
    ratio: Double = .nan, target: Target? = nil
) -> Figure {
    let figure = Figure(
        benchmark: benchmark, name: name, value: value, unit: unit, reference: reference, ratio: ratio, target: target)
    figure.record()
    return figure
}

/// A number as the table prints it: whole numbers as they are, others with three significant figures
/// or more, no exponent.
public func formatNumber(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "-" : String(value) }
    if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
    let magnitude = abs(value)
    let digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
    return String(format: "%.\(digits)f", value)
}

/// The table of every recorded figure: figure, value, same-run reference, ratio, target, met.
public func renderTable(_ figures: [Figure]) -> String {
    let header = ["benchmark", "figure", "value", "same-run reference", "ratio", "target", "met"]
    let rows = figures.map { figure in
        [
            figure.benchmark, figure.name, formatNumber(figure.value) + (figure.unit.isEmpty ? "" : " " + figure.unit),
            figure.reference, figure.ratio.isNaN ? "-" : String(format: "%.2f", figure.ratio),
            figure.target.map { $0.description + ($0.subject == .value && !figure.unit.isEmpty ? " " + figure.unit : "") } ?? "-",
            figure.verdict,
        ]
    }
    var widths = header.map(\.count)
    for row in rows {
        for (index, cell) in row.enumerated() { widths[index] = Swift.max(widths[index], cell.count) }
    }
    func format(_ row: [String]) -> String {
        row.enumerated().map { index, cell in
            let pad = String(repeating: " ", count: widths[index] - cell.count)
            return index == 2 || index == 4 ? pad + cell : cell + pad  // numbers right-aligned
        }.joined(separator: "  ")
    }
    var lines = [format(header), format(widths.map { String(repeating: "-", count: $0) })]
    lines += rows.map(format)
    let targeted = figures.filter { $0.target != nil }
    let met = targeted.filter { $0.verdict == "met" }.count
    lines.append("")
    lines.append("targets met: \(met) of \(targeted.count)")
    return lines.joined(separator: "\n")
}
