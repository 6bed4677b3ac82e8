import Foundation
import JSON

/// The gateway's metrics in the JSON shape of Dropwizard's admin `/metrics` (its metrics registry
/// serialised: `version`, `gauges`, `counters`, `histograms`, `meters`, `timers`), for dashboards and
/// scripts written against BPG's admin port. Derived from the Prometheus rendering, so both always
/// show the same values. What differs from BPG is in docs/operations.md ("Admin port").
enum DropwizardMetricsJSON {
    /// Converts Prometheus text (format 0.0.4, as ``MetricsRegistry`` renders it).
    ///
    /// A series is named `family{label="value",…}` as in Prometheus. Counters become
    /// `{"count": n}`; gauges `{"value": x}`; histograms `{"count", "sum", "mean", "p50" … "p999"}`
    /// in seconds, percentiles estimated as the upper bound of the bucket the rank falls in
    /// (Prometheus buckets keep no samples); `meters` and `timers` stay empty.
    static func render(prometheus text: String) -> [UInt8] {
        var types: [String: String] = [:]
        var counters: [String: JSONValue] = [:]
        var gauges: [String: JSONValue] = [:]
        var histograms: [String: HistogramSeries] = [:]

        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst("# TYPE ".count).split(separator: " ")
                if parts.count == 2 { types[String(parts[0])] = String(parts[1]) }
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let sample = Sample(line: line) else { continue }
            if let type = types[sample.name] {
                switch type {
                case "counter": counters[sample.series] = ["count": number(sample.value)]
                default: gauges[sample.series] = ["value": number(sample.value)]
                }
                continue
            }
            // Histogram parts: name_bucket{…,le="x"}, name_sum{…}, name_count{…}.
            for suffix in ["_bucket", "_sum", "_count"] where sample.name.hasSuffix(suffix) {
                let family = String(sample.name.dropLast(suffix.count))
                guard types[family] == "histogram" else { continue }
                var labels = sample.labels
                let bound = labels.removeValue(forKey: "le")
                let key = Sample.seriesName(family, labels)
                var series = histograms[key] ?? HistogramSeries()
                switch suffix {
                case "_bucket": if let bound { series.buckets.append((Double(bound) ?? .infinity, sample.value)) }
                case "_sum": series.sum = sample.value
                default: series.count = sample.value
                }
                histograms[key] = series
            }
        }
        let document: JSONValue = [
            "version": "4.0.0",
            "gauges": .object(JSONObject(gauges)),
            "counters": .object(JSONObject(counters)),
            "histograms": .object(JSONObject(histograms.mapValues(\.json))),
            "meters": [:],
            "timers": [:],
        ]
        return document.jsonBytes(JSONFormat(sortedKeys: true))
    }

    private static func number(_ value: Double) -> JSONValue {
        if value.rounded() == value, abs(value) < 9e15 { return .number(JSONNumber(Int64(value))) }
        return .double(value)
    }

    struct HistogramSeries {
        var buckets: [(bound: Double, cumulative: Double)] = []
        var sum: Double = 0
        var count: Double = 0

        var json: JSONValue {
            var object: [String: JSONValue] = [
                "count": DropwizardMetricsJSON.number(count), "sum": .double(sum),
                "mean": .double(count > 0 ? sum / count : 0), "duration_units": "seconds",
            ]
            let sorted = buckets.sorted { $0.bound < $1.bound }
            for (name, quantile) in [("p50", 0.5), ("p75", 0.75), ("p95", 0.95), ("p98", 0.98), ("p99", 0.99), ("p999", 0.999)] {
                let rank = quantile * count
                let bucket = sorted.first { $0.cumulative >= rank && $0.cumulative > 0 }
                // The +Inf bucket has no upper bound: report the largest finite one.
                let bound = bucket.map { $0.bound.isFinite ? $0.bound : (sorted.last { $0.bound.isFinite }?.bound ?? 0) } ?? 0
                object[name] = .double(count > 0 ? bound : 0)
            }
            return .object(JSONObject(object))
        }
    }

    /// One sample line: `name{a="x",b="y"} value`.
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
        var series: String { Self.seriesName(name, labels) }

        init?(line: Substring) {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
            self.value = value
            let head = line[..<space]
            guard let brace = head.firstIndex(of: "{") else {
                name = String(head)
                labels = [:]
                return
            }
            name = String(head[..<brace])
            var labels: [String: String] = [:]
            var rest = head[head.index(after: brace)...].dropLast()  // without the closing brace
            while let equals = rest.firstIndex(of: "=") {
                let key = String(rest[..<equals]).trimmingCharacters(in: CharacterSet(charactersIn: ","))
                var index = rest.index(equals, offsetBy: 2)  // past ="
                var value = ""
                while index < rest.endIndex, rest[index] != "\"" {
                    if rest[index] == "\\", rest.index(after: index) < rest.endIndex {
                        index = rest.index(after: index)
                        value.append(rest[index] == "n" ? "\n" : rest[index])
                    } else {
                        value.append(rest[index])
                    }
                    index = rest.index(after: index)
                }
                labels[key] = value
                rest = index < rest.endIndex ? rest[rest.index(after: index)...] : rest[rest.endIndex...]
            }
            self.labels = labels
        }

        static func seriesName(_ name: String, _ labels: [String: String]) -> String {
            guard !labels.isEmpty else { return name }
            return name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
        }
    }
}
