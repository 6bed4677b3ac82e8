import Foundation
import GatewayCore
import JSON
import Testing
import YAML

/// The request and the configuration decode from YAML as they do from JSON.
struct YAMLInputTests {
    @Test func requestFromYAML() throws {
        let yaml = """
            sparkVersion: 3.5
            mainApplicationFile: s3a://b/app.py
            sparkConf:
              spark.executor.instances: 4
              spark.dynamicAllocation.enabled: false
            driver:
              cores: 2
              memory: 2g
              env:
                - name: HOST_IP
                  valueFrom:
                    fieldRef:
                      fieldPath: status.hostIP
              unknownNested: ignored
            executor: {instances: 2, cores: 1, memory: 512m}
            """
        let request = try YAMLDecoder().decode(SubmitApplicationRequest.self, from: yaml)
        #expect(request.sparkVersion == "3.5")
        #expect(request.sparkConf == ["spark.executor.instances": "4", "spark.dynamicAllocation.enabled": "false"])
        #expect(request.driver?.env == [EnvVar(name: "HOST_IP", valueFrom: .init(fieldRef: .init(fieldPath: "status.hostIP")))])
        #expect(request.executor?.instances == 2 && request.executor?.memory == "512m")
    }

    @Test func unknownTopLevelFieldInYAMLIsNamed() {
        do {
            _ = try YAMLDecoder().decode(SubmitApplicationRequest.self, from: "sparkVersion: 3.5\nannotations: {}\n")
            Issue.record("expected an error")
        } catch let error as SubmissionError {
            #expect(error.status == 400 && error.message.hasPrefix(#"Unrecognized field "annotations""#))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func bpgConfigurationFromYAML() throws {
        let tree = try YAMLDecoder().decode(ConfigurationTree.self, from: Fixtures.fixtureData("bpg-config.yaml"))
        let loaded = try GatewayConfiguration.load(from: tree)
        let config = loaded.configuration
        #expect(config.sparkClusters[0].sparkVersions == ["3.2", "3.5.0"])
        #expect(config.sparkImages[0].version == "3.2")
        #expect(config.defaultSparkConf == ["spark.kubernetes.submission.connectionTimeout": "30000", "spark.ui.enabled": "true"])
        #expect(config.sparkClusters[0].sparkConf?["spark.kubernetes.executor.podNamePrefix"] == "{spark-application-resource-name}")
        #expect(config.vCoreSecondCost == 0.000003)
        #expect(config.gateway.routing.strategy == .backlogAware && config.gateway.routing.maxAttempts == 2)
        #expect(loaded.unknownKeys == ["gateway.typo", "sparkClusters[0].sparkUIOptions.ServicePort"])
    }

    @Test(.enabled(if: SchemaChecker.realCRDIsAvailable, SchemaChecker.realCRDMissing))
    func yamlConfigurationDrivesTheWorkedExample() throws {
        let tree = try YAMLDecoder().decode(ConfigurationTree.self, from: Fixtures.fixtureData("bpg-config.yaml"))
        let config = try GatewayConfiguration.load(from: tree).configuration
        var random = SeededRandomNumberGenerator(seed: 8)
        let request = try SubmitApplicationRequest.decode(json: Data(Fixtures.workedExampleRequest.utf8))
        let plan = try SubmissionPlanner(configuration: config).plan(request, user: "alice", using: &random)
        let app = plan.application(on: plan.candidates[0], submissionId: plan.submissionId(on: plan.candidates[0], using: &random))
        #expect(app.spec.image == "img-py" && app.spec.batchSchedulerOptions?.queue == "root.poc")
        #expect(try SchemaChecker.loadRealCRD().problems(in: JSONValue.encoding(app)) == [])
    }
}
