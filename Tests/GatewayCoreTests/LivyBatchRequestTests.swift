import Foundation
import GatewayCore
import Testing

/// Livy's batch body: strict decoding with messages naming the field, and its translation into the
/// gateway's request.
struct LivyBatchRequestTests {
    @Test func everyLivyFieldIsReadAndTranslated() throws {
        let body = #"""
            {"file":"local:///opt/spark/examples/jars/spark-examples.jar","proxyUser":"alice",
             "className":"org.apache.spark.examples.SparkPi","args":["10"],"jars":["s3a://b/dep.jar"],
             "pyFiles":["s3a://b/lib.py"],"files":["s3a://b/data.csv"],"driverMemory":"2g","driverCores":1,
             "executorMemory":"4g","executorCores":2,"numExecutors":3,"archives":["s3a://b/env.tgz"],
             "queue":"dev","name":"pi","conf":{"spark.eventLog.enabled":true,"spark.sql.shuffle.partitions":200,"a":"b"}}
            """#
        let batch = try LivyBatchRequest.decode(json: Data(body.utf8))
        #expect(batch.proxyUser == "alice")
        #expect(batch.conf == ["spark.eventLog.enabled": "true", "spark.sql.shuffle.partitions": "200", "a": "b"])

        var configuration = GatewayConfiguration()
        configuration.sparkImages = [
            SparkImageConfiguration(name: "spark:3.9", types: ["Java"], version: "3.9.0"),
            SparkImageConfiguration(name: "spark:3.10", types: ["Java"], version: "3.10.1"),
        ]
        let request = batch.submitRequest(settings: GatewaySettings.Livy(), configuration: configuration)
        #expect(request.mainApplicationFile == "local:///opt/spark/examples/jars/spark-examples.jar")
        #expect(request.mainClass == "org.apache.spark.examples.SparkPi")
        #expect(request.type == "Java")
        #expect(request.sparkVersion == "3.10.1", "the highest configured version, compared numerically")
        #expect(request.applicationName == "pi")
        #expect(request.arguments == ["10"])
        #expect(request.queue == "dev")
        #expect(request.driver?.cores == 1)
        #expect(request.driver?.memory == "2g")
        #expect(request.executor?.cores == 2)
        #expect(request.executor?.memory == "4g")
        #expect(request.executor?.instances == 3)
        #expect(request.deps == Dependencies(jars: ["s3a://b/dep.jar"], files: ["s3a://b/data.csv"], pyFiles: ["s3a://b/lib.py"], archives: ["s3a://b/env.tgz"]))
        #expect(request.sparkConf?["spark.sql.shuffle.partitions"] == "200")
    }

    @Test func defaultsComeFromTheLivySettings() throws {
        let batch = try LivyBatchRequest.decode(json: Data(#"{"file":"s3a://b/job.py","queue":null,"args":null}"#.utf8))
        var settings = GatewaySettings.Livy()
        settings.defaultQueue = "poc"
        settings.sparkVersion = "3.5.0"
        let request = batch.submitRequest(settings: settings, configuration: GatewayConfiguration())
        #expect(request.queue == "poc")
        #expect(request.sparkVersion == "3.5.0")
        #expect(request.type == "Python")
        #expect(request.driver == nil && request.executor == nil && request.deps == nil)
        #expect(batch.args == nil, "null is absent, as in Livy")
    }

    @Test(arguments: [
        (#"{}"#, "\"file\""),
        (#"{"file":""}"#, "\"file\""),
        (#"{"file":3}"#, "\"file\" must be a string"),
        (#"{"file":"a.py","numExecutors":"2"}"#, "\"numExecutors\" must be an integer"),
        (#"{"file":"a.py","driverCores":1.5}"#, "\"driverCores\" must be an integer"),
        (#"{"file":"a.py","args":"x"}"#, "\"args\" must be a list of strings"),
        (#"{"file":"a.py","jars":["a",1]}"#, "\"jars[1]\" must be a string"),
        (#"{"file":"a.py","conf":[]}"#, "\"conf\" must be an object"),
        (#"{"file":"a.py","conf":{"k":{"x":1}}}"#, "\"conf.k\""),
        (#"{"file":"a.py","kind":"pyspark"}"#, "Unrecognized field \"kind\""),
        (#"{"file":"a.py","executorCount":2,"ttl":"1h"}"#, "\"executorCount\", \"ttl\""),
        (#"[1]"#, "JSON object"),
        (#"{"file":"#, "Invalid JSON"),
    ])
    func badBodiesNameTheField(body: String, expected: String) {
        let error = #expect(throws: SubmissionError.self) { try LivyBatchRequest.decode(json: Data(body.utf8)) }
        #expect(error?.status == 400)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func gatewayMessagesAreRenamedToLivyFields() {
        #expect(LivyBatchRequest.livyFieldNames(in: "executor.instances must be at least 1 (got 0)") == "numExecutors must be at least 1 (got 0)")
        #expect(LivyBatchRequest.livyFieldNames(in: "driver.memory \"x\" is not valid") == "driverMemory \"x\" is not valid")
        #expect(LivyBatchRequest.livyFieldNames(in: "mainApplicationFile is required") == "file is required")
    }

    @Test(arguments: [
        (nil, "starting"), ("", "starting"), ("ACCEPTED", "starting"), ("CREATED", "starting"), ("OUTCOME_UNKNOWN", "starting"),
        ("SUBMITTED", "starting"), ("PENDING_RERUN", "starting"), ("UNKNOWN", "starting"), ("SUSPENDED", "not_started"),
        ("RUNNING", "running"), ("SUCCEEDING", "running"), ("FAILING", "running"), ("COMPLETED", "success"),
        ("FAILED", "dead"), ("SUBMISSION_FAILED", "dead"), ("FENCED", "dead"), ("DELETED", "killed"),
    ] as [(String?, String)])
    func operatorStatesMapToLivyStates(state: String?, livy: String) {
        #expect(LivyBatchState.from(state) == livy)
    }

    @Test func settingsAreReadAndChecked() throws {
        let defaults = try GatewayConfiguration.load(json: Data("{}".utf8)).configuration.gateway.livy
        #expect(defaults.enabled && defaults.root == "/batches" && defaults.defaultQueue == nil && defaults.sparkVersion == nil)

        let json = #"{"gateway":{"livy":{"enabled":false,"root":"/livy/batches","defaultQueue":"dev","sparkVersion":"3.5.0"}}}"#
        let loaded = try GatewayConfiguration.load(json: Data(json.utf8))
        #expect(loaded.unknownKeys.isEmpty)
        #expect(loaded.configuration.gateway.livy.enabled == false)
        #expect(loaded.configuration.gateway.livy.root == "/livy/batches")
        #expect(loaded.configuration.gateway.livy.defaultQueue == "dev")

        let bad = #"{"gateway":{"livy":{"root":"batches","defaultQueue":" ","sparkVersion":""}}}"#
        let error = #expect(throws: ConfigurationError.self) { try GatewayConfiguration.load(json: Data(bad.utf8)) }
        #expect(Set(error?.problems.map(\.path) ?? []) == ["gateway.livy.root", "gateway.livy.defaultQueue", "gateway.livy.sparkVersion"])
    }
}
