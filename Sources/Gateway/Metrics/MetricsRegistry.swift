import Synchronization

/// A set of metric families rendered together in the Prometheus text format 0.0.4.
///
/// ```swift
/// let registry = MetricsRegistry()
/// let requests = registry.counter("app_requests_total", help: "Requests.", labelNames: ["route"])
/// let home = requests.labels("/")   // resolve once, keep
/// home.increment()
/// print(registry.render())
/// ```
final class MetricsRegistry: Sendable {
    private let families = Mutex<[any RenderableMetricFamily]>([])

    init() {}

    /// Registers a counter family.
    func counter(_ name: String, help: String, labelNames: [String] = []) -> MetricFamily<Counter> {
        register(MetricFamily(name: name, help: help, labelNames: labelNames) { Counter() })
    }

    /// Registers a histogram family with fixed bucket bounds (seconds by convention).
    func histogram(
        _ name: String, help: String, labelNames: [String] = [], buckets: [Double] = Histogram.defaultBuckets
    ) -> MetricFamily<Histogram> {
        _ = Histogram(upperBounds: buckets)  // validates the bounds now rather than on first use
        return register(MetricFamily(name: name, help: help, labelNames: labelNames) { Histogram(upperBounds: buckets) })
    }

    /// Registers a family read from `read` at every scrape.
    func callback(
        _ name: String, help: String, type: MetricType, labelNames: [String] = [],
        read: @escaping @Sendable () -> [CallbackFamily.Sample]
    ) {
        register(CallbackFamily(name: name, help: help, type: type, labelNames: labelNames, read: read))
    }

    @discardableResult
    private func register<Family: RenderableMetricFamily>(_ family: Family) -> Family {
        families.withLock { all in
            precondition(!all.contains { $0.name == family.name }, "metric \(family.name) registered twice")
            all.append(family)
        }
        return family
    }

    /// Every family in registration order, each series sorted by its labels.
    func render() -> String {
        let snapshot = families.withLock { $0 }
        var output = ""
        for family in snapshot {
            family.render(into: &output)
        }
        return output
    }
}
