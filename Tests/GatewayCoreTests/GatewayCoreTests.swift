import Testing
@testable import GatewayCore
