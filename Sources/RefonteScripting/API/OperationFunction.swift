import LuaRuntime
import RefonteAPI

/// The Lua function for one catalog operation: check the arguments against the catalog, then
/// suspend the calling coroutine while the client sends the request, then decode the answer
/// straight onto the coroutine's stack.
enum OperationFunction {
    static func make(_ operation: Operation, connection: APIConnection, env: EnvTable) -> LuaSwiftFunction {
        LuaSwiftFunction("refonte.\(operation.id)") { call in
            let request: PreparedRequest
            do {
                request = try operation.prepare(LuaArguments.read(call, for: operation))
            } catch let error as ArgumentError {
                try ErrorValue.push(error, on: call.stack)
                return .raise
            }
            // The request (and the client's copy of it) is the script's data while it is in
            // flight: it counts toward --max-memory until the answer comes back.
            let held =
                2
                * (request.path.utf8.count + (request.body?.count ?? 0)
                    + request.query.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count })
            guard call.stack.charge(held) else { throw LuaLimitReached() }
            return .suspend(
                LuaSuspension(
                    work: { await connection.send(request) },
                    resume: { call, outcome in
                        call.stack.releaseCharge(held)
                        if let baseURL = outcome.baseURL { env.publish(baseURL: baseURL, on: call.stack) }
                        switch outcome.result {
                        case .success(let response):
                            try LuaJSONDecoder.decode(response.body, onto: call.stack)
                            if let prefix = outcome.placeholderPrefix,
                                let json = try? JSONValue.parse(response.body)
                            {
                                PlaceholderValue.replaceMarkers(in: json, prefix: prefix, on: call.stack)
                            }
                            return .results(1)
                        case .failure(let error):
                            try ErrorValue.push(error, on: call.stack)
                            return .raise
                        }
                    }
                )
            )
        }
    }
}
