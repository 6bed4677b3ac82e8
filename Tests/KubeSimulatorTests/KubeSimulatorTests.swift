import Testing
@testable import KubeSimulator
