import GatewayCore

/// Hostile submissions: a valid request with one field (or a few) replaced by a hostile value, for
/// every field `SubmitApplicationRequest` decodes.
public struct RequestFuzzer {
    /// Every leaf of the request, found by ``FieldProbe``.
    public let leaves: [FieldProbe.Leaf]
    /// The valid request every case starts from.
    public let base: FuzzJSON

    /// String fields that hold a CPU quantity or a memory size. Their type is `String`, so the probe
    /// cannot tell them apart; `RequestFuzzTests` fails when a new field whose name looks like one is
    /// missing here.
    public static let quantityFieldNames: Set<String> = ["coreRequest", "coreLimit", "memory", "memoryOverhead"]

    public init(sparkVersion: String, queue: String) throws {
        leaves = try FieldProbe.leaves(of: SubmitApplicationRequest.self)
        base = Self.baseRequest(sparkVersion: sparkVersion, queue: queue)
    }

    /// `sparkConf` keys whose values the gateway parses as numbers.
    public static let numericSparkConfKeys = ["spark.executor.instances", SubmissionValidator.maxRunningMillisKey]

    /// Numeric leaves, quantity strings and numeric `sparkConf` entries: the fields attacked with every
    /// hostile value.
    public var numericAndQuantityLeaves: [FieldProbe.Leaf] {
        let fields = leaves.filter { leaf in
            guard !leaf.isNumeric else { return true }
            if case .key(let name) = leaf.path.last { return Self.quantityFieldNames.contains(name) }
            return false
        }
        return fields + Self.numericSparkConfKeys.map { FieldProbe.Leaf(path: [.key("sparkConf"), .key($0)], type: "String") }
    }

    /// One case: a name for the failure message and the JSON body.
    public struct Case: Sendable {
        public var name: String
        public var body: String
    }

    /// The base with `fragment` at `leaf`.
    public func mutating(_ leaf: FieldProbe.Leaf, to fragment: String) -> Case {
        mutating(leaf, to: fragment, template: template(for: leaf))
    }

    /// The base rendered around a hole at `leaf`: rendering once per field, not once per case, keeps
    /// generating thousands of cases cheap.
    func template(for leaf: FieldProbe.Leaf) -> (prefix: String, suffix: String) {
        let marker = "\u{1}HOLE\u{1}"
        let text = base.setting(.raw(marker), at: leaf.path).text
        let range = text.range(of: marker)!
        return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
    }

    func mutating(_ leaf: FieldProbe.Leaf, to fragment: String, template: (prefix: String, suffix: String)) -> Case {
        Case(
            name: "\(leaf.dottedPath) = \(fragment.prefix(60))\(fragment.count > 60 ? "…(\(fragment.utf8.count) bytes)" : "")",
            body: template.prefix + fragment + template.suffix)
    }

    /// `values` (plus `generated` seeded ones) at every numeric and quantity field; wrong types, empty
    /// strings and extreme numbers at every other field; a megabyte string and 10,000 levels of arrays
    /// and of objects at every `expensiveEvery`-th field; and `random` cases with 2–6 fields changed
    /// at once.
    public func cases<R: RandomNumberGenerator>(
        values: [String] = HostileValues.all, generated: Int = 64, random count: Int, expensiveEvery: Int = 7,
        using random: inout R
    ) -> [Case] {
        var out: [Case] = []
        let extra = HostileValues.generated(generated, using: &random)
        let attacked = numericAndQuantityLeaves
        for leaf in attacked {
            let template = template(for: leaf)
            for fragment in values + extra { out.append(mutating(leaf, to: fragment, template: template)) }
        }
        for leaf in leaves where !attacked.contains(leaf) {
            let template = template(for: leaf)
            for fragment in ["\"\"", "9223372036854775807", "1e400", "-0.0"] + HostileValues.wrongTypes {
                out.append(mutating(leaf, to: fragment, template: template))
            }
        }
        let expensive = [
            HostileValues.deepNesting(levels: 10_000), HostileValues.deepNesting(levels: 10_000, objects: true),
            HostileValues.hugeString(bytes: 1_000_000),
        ]
        for (index, leaf) in (leaves + attacked).enumerated() where index % expensiveEvery == 0 {
            for fragment in expensive { out.append(mutating(leaf, to: fragment)) }
        }
        let pool = values + extra
        for n in 0..<count {
            var body = base
            var names: [String] = []
            for _ in 0..<Int.random(in: 2...6, using: &random) {
                let leaf = Bool.random(using: &random)
                    ? attacked[Int.random(in: 0..<attacked.count, using: &random)]
                    : leaves[Int.random(in: 0..<leaves.count, using: &random)]
                let fragment = pool[Int.random(in: 0..<pool.count, using: &random)]
                body = body.setting(.raw(fragment), at: leaf.path)
                names.append("\(leaf.dottedPath)=\(fragment.prefix(40))")
            }
            out.append(Case(name: "random #\(n): " + names.joined(separator: ", "), body: body.text))
        }
        return out
    }

    /// A request using every structure the model has, accepted as is.
    public static func baseRequest(sparkVersion: String, queue: String) -> FuzzJSON {
        func pod(executor: Bool) -> FuzzJSON {
            var members: [(String, FuzzJSON)] = [
                ("cores", 1), ("coreRequest", "500m"), ("coreLimit", "1200m"), ("memory", "2g"), ("memoryOverhead", "384m"),
                ("image", "registry/spark:custom"),
                ("env", [["name": "A", "value": "1"], ["name": "B", "valueFrom": ["fieldRef": ["fieldPath": "status.hostIP", "apiVersion": "v1"]]]]),
                ("labels", ["team": "data", "dag_name": "dag"]), ("annotations", ["a": "b"]),
                ("terminationGracePeriodSeconds", 30), ("serviceAccount", "spark"),
                ("volumeMounts", [["name": "data", "mountPath": "/data", "readOnly": true, "subPath": "s"]]),
                ("securityContext", ["privileged": false, "runAsUser": 185, "allowPrivilegeEscalation": false]),
                (
                    "affinity",
                    [
                        "nodeAffinity": [
                            "requiredDuringSchedulingIgnoredDuringExecution": [
                                "nodeSelectorTerms": [["matchExpressions": [["key": "k", "operator": "In", "values": ["v"]]]]]
                            ],
                            "preferredDuringSchedulingIgnoredDuringExecution": [
                                ["weight": 10, "preference": ["matchExpressions": [["key": "k", "operator": "Exists"]]]]
                            ],
                        ]
                    ]
                ),
                ("dnsConfig", ["nameservers": ["1.1.1.1"], "searches": ["svc"], "options": [["name": "ndots", "value": "2"]]]),
                ("javaOptions", "-XX:+UseG1GC"), ("podName", "p"), ("kubernetesMaster", "k8s://x"), ("deleteOnTermination", true),
            ]
            if executor { members.append(("instances", 2)) }
            return .object(members)
        }
        return [
            "submissionIdSuffix": "fz", "applicationName": "fuzz", "type": "Scala", "mode": "cluster", "image": "",
            "spotInstance": false, "sparkVersion": .string(sparkVersion), "mainClass": "org.example.Main",
            "mainApplicationFile": "local:///app.jar", "arguments": ["1"],
            "sparkConf": ["spark.executor.instances": "2", "bpg.maxRunningMillis": "3600000"],
            "volumes": [["name": "data", "hostPath": ["path": "/tmp", "type": "Directory"], "configMap": ["name": "cm"]]],
            "driver": pod(executor: false), "executor": pod(executor: true),
            "driverOverheadFactor": .raw("0.1"), "executorOverheadFactor": .raw("0.1"), "overheadFactor": .raw("0.1"),
            "deps": [
                "jars": ["a.jar"], "files": ["f"], "pyFiles": ["p.py"], "packages": ["g:a:1"], "excludePackages": ["x:y"],
                "repositories": ["https://r"], "archives": ["a.zip"],
            ],
            "pythonVersion": "3", "imagePullPolicy": "IfNotPresent",
            "restartPolicy": [
                "type": "OnFailure", "onSubmissionFailureRetries": 1, "onFailureRetries": 1,
                "onSubmissionFailureRetryInterval": 10, "onFailureRetryInterval": 10,
            ],
            "queue": .string(queue),
        ]
    }
}
