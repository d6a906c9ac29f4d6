import Synchronization

/// Fills in the key that makes a write safe to repeat (`Recovery.derivedKey`: a task's
/// `unique_id`) when the script gave none.
///
/// The key is derived from the run id, the call's wire form and how many identical calls came
/// before it in the run: a retry of a call carries the same key, two identical calls get two
/// keys, and the order in which concurrent calls with different arguments arrive does not
/// matter. A dry run derives it too, so the plan holds the very key apply sends.
final class DerivedKeys: Sendable {
    let runID: String
    private let seen = Mutex<[String: Int]>([:])

    init(runID: String) {
        self.runID = runID
    }

    func filling(_ request: PreparedRequest, of operation: Operation?) -> PreparedRequest {
        guard let operation, let key = operation.retry.recovery?.derivedKey,
            case .idempotentByKey = operation.retry, let body = request.body,
            case .object(var fields)? = try? JSONValue.parse(body), fields[key] == nil || fields[key] == .null
        else { return request }
        let call = [request.operationID, request.display, String(decoding: body, as: UTF8.self)].joined(
            separator: "\n"
        )
        let position = seen.withLock { seen in
            defer { seen[call, default: 0] += 1 }
            return seen[call, default: 0]
        }
        let digest = SHA256Digest.hex([runID, call, String(position)].joined(separator: "\n"))
        fields[key] = .string("refonte-" + digest.prefix(32))
        var filled = request
        filled.body = JSONValue.object(fields).encoded()
        return filled
    }
}
