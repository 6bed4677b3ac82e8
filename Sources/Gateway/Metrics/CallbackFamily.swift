/// A gauge or counter family whose samples are read from a closure at scrape time (cluster health,
/// monitor lag: values another component already tracks).
final class CallbackFamily: RenderableMetricFamily {
    /// One sample: label values in `labelNames` order and the value.
    typealias Sample = (labelValues: [String], value: Double)

    let name: String
    let help: String
    let type: MetricType
    let labelNames: [String]
    private let read: @Sendable () -> [Sample]

    init(name: String, help: String, type: MetricType, labelNames: [String], read: @escaping @Sendable () -> [Sample]) {
        precondition(type != .histogram, "callback families are gauges or counters")
        precondition(PrometheusText.isValidMetricName(name), "invalid metric name \(name)")
        precondition(labelNames.allSatisfy(PrometheusText.isValidLabelName), "invalid label name in \(labelNames)")
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.read = read
    }

    func render(into output: inout String) {
        output += "# HELP \(name) \(PrometheusText.escapeHelp(help))\n"
        output += "# TYPE \(name) \(type.rawValue)\n"
        let positions = labelNames.indices.sorted { labelNames[$0] < labelNames[$1] }
        let lines = read().compactMap { sample -> String? in
            // A provider returning the wrong shape loses that sample rather than the whole scrape.
            guard sample.labelValues.count == labelNames.count else { return nil }
            let labels = positions.map { (name: labelNames[$0], value: sample.labelValues[$0]) }
            return "\(name)\(PrometheusText.labelSet(labels)) \(PrometheusText.format(sample.value))\n"
        }
        for line in lines.sorted() {
            output += line
        }
    }
}
