import Foundation
import Testing

/// Under scripts/test-remote.sh (TFRECORD_REMOTE_REQUIRED=1) the servers and the Python peer must be
/// there: a missing one fails here instead of skipping the suites that need it.
@Suite struct RemoteTestRequirementTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TFRECORD_REMOTE_REQUIRED"] == "1", "TFRECORD_REMOTE_REQUIRED is not 1 (only scripts/test-remote.sh requires the servers)"))
    func serversAndPeerArePresentWhenRequired() {
        #expect(RemoteTestServers.current != nil, "TFRECORD_TEST_* variables are missing")
        #expect(PythonPeer.isAvailable, "python3 cannot import botocore and boto3")
    }
}
