import Synchronization

/// The `# TYPE` of a metric family.
enum MetricType: String, Sendable {
    case counter, gauge, histogram
}

/// A family the registry can render: its `# HELP`, `# TYPE` and samples.
protocol RenderableMetricFamily: Sendable {
    var name: String { get }
    func render(into output: inout String)
}

/// A named family of series that differ by label values, each series created on first use and kept.
///
/// Look a series up once and keep it (`family.labels("a", "b")`): the lookup takes the family's lock
/// briefly, updating a series does not.
final class MetricFamily<Series: MetricSeries>: RenderableMetricFamily {
    let name: String
    let help: String
    /// Label names in declaration order; `labels(_:)` takes values in this order.
    let labelNames: [String]
    /// Positions of `labelNames` in name order, so samples print their labels sorted.
    private let sortedPositions: [Int]
    private let makeSeries: @Sendable () -> Series
    private let series = Mutex<[[String]: Series]>([:])

    init(name: String, help: String, labelNames: [String], makeSeries: @escaping @Sendable () -> Series) {
        precondition(PrometheusText.isValidMetricName(name), "invalid metric name \(name)")
        precondition(labelNames.allSatisfy(PrometheusText.isValidLabelName), "invalid label name in \(labelNames)")
        precondition(Set(labelNames).count == labelNames.count, "duplicate label name in \(labelNames)")
        precondition(Series.type != .histogram || !labelNames.contains("le"), "a histogram cannot have an le label")
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.sortedPositions = labelNames.indices.sorted { labelNames[$0] < labelNames[$1] }
        self.makeSeries = makeSeries
    }

    /// The series for these label values (in `labelNames` order), created on first use.
    func labels(_ values: String...) -> Series {
        labels(values)
    }

    /// The series for these label values (in `labelNames` order), created on first use.
    func labels(_ values: [String]) -> Series {
        precondition(values.count == labelNames.count, "\(name) takes \(labelNames.count) label values, got \(values.count)")
        return series.withLock { all in
            if let existing = all[values] { return existing }
            let created = makeSeries()
            all[values] = created
            return created
        }
    }

    func render(into output: inout String) {
        let snapshot = series.withLock { Array($0) }
        output += "# HELP \(name) \(PrometheusText.escapeHelp(help))\n"
        output += "# TYPE \(name) \(Series.type.rawValue)\n"
        let rendered = snapshot.map { values, series in
            (labels: sortedPositions.map { (name: labelNames[$0], value: values[$0]) }, series: series)
        }
        .sorted { PrometheusText.labelSet($0.labels) < PrometheusText.labelSet($1.labels) }
        for (labels, series) in rendered {
            series.render(name: name, labels: labels, into: &output)
        }
    }
}

/// One series of a family: a counter or a histogram.
protocol MetricSeries: Sendable {
    static var type: MetricType { get }
    /// Appends this series' sample lines; `labels` are sorted by name.
    func render(name: String, labels: [(name: String, value: String)], into output: inout String)
}
