import Foundation
import GRDB
import Hummingbird
import NIOCore
import RefonteAPI

/// Routes outside `/v1` that play the other side of the API: labelers making training attempts
/// and finishing tasks, invitations being accepted, an account gaining Studio. They take the
/// same keys as the API and act on that key's data.
struct AdminRoutes {
    let store: SandboxStore
    let authenticator: Authenticator

    func register(on router: Router<BasicRequestContext>) {
        router.get("/sandbox/health") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#))
            )
        }
        route(router, .post, "/sandbox/tasks/{task_id}/attempts", addAttempt)
        route(router, .post, "/sandbox/tasks/{task_id}/complete", completeTask)
        route(router, .post, "/sandbox/teams/accept", acceptInvitation)
        route(router, .post, "/sandbox/account", setAccount)
    }

    private typealias AdminHandler =
        @Sendable (_ tenant: Tenant, _ path: [String: String], _ body: [String: Any])
        async throws -> [UInt8]

    private func route(
        _ router: Router<BasicRequestContext>,
        _ method: HTTPRequest.Method,
        _ path: String,
        _ handler: @escaping AdminHandler
    ) {
        let template = RouteTemplate(path)
        router.on(RouterPath(template.registered), method: method) { request, context in
            do {
                let identity = try await authenticator.identify(
                    authorization: request.headers[.authorization]
                )
                var buffer = try await request.body.collect(upTo: APIResponder.maximumBodySize)
                let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                var body: [String: Any] = [:]
                if let parsed = try? JSONValue.parse(bytes),
                    let refusal = TextRule.refusal(in: parsed, named: "request body")
                {
                    throw SandboxError.badRequest("\(path): \(refusal)")
                }
                if !bytes.isEmpty {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
                    else {
                        throw SandboxError.badRequest("\(path): the body must be a JSON object")
                    }
                    body = object
                }
                var values: [String: String] = [:]
                for (position, name) in template.names {
                    if let raw = context.parameters.get(position) {
                        let value = try QueryString.decode(raw, plusIsSpace: false, what: name)
                        if let refusal = TextRule.refusal(
                            in: .string(value),
                            named: "path parameter '\(name)'"
                        ) {
                            throw SandboxError.badRequest("\(path): \(refusal)")
                        }
                        values[name] = value
                    }
                }
                let out = try await handler(identity.tenant, values, body)
                return Response(
                    status: .ok,
                    headers: [.contentType: "application/json"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: out))
                )
            } catch let error as SandboxError {
                return APIResponder.error(error)
            }
        }
    }

    /// `{labeler_email, score?, passed?}` → TrainingAttempt. The labeler must be a teammate.
    private func addAttempt(
        _ tenant: Tenant,
        _ path: [String: String],
        _ body: [String: Any]
    ) async throws
        -> [UInt8]
    {
        let operation = "sandbox.tasks.attempts"
        guard let email = body["labeler_email"] as? String else {
            throw SandboxError.badRequest("\(operation): labeler_email is required (a teammate's email)")
        }
        let score = (body["score"] as? NSNumber)?.doubleValue ?? 1
        guard (0...1).contains(score) else {
            throw SandboxError.badRequest("\(operation): score must be from 0 to 1, got \(score)")
        }
        let passed = (body["passed"] as? Bool) ?? (score >= 0.6)
        let taskID = path["task_id"] ?? ""
        let now = Timestamp.now()
        return try await store.write(tenant: tenant.id, touching: .work) { db in
            let task = try Tasks.require(db, tenant: tenant.id, taskID, operation: operation)
            guard try Teammates.byEmail(db, tenant: tenant.id, [email])[email] != nil else {
                throw SandboxError.notFound("\(operation): no teammate with email \"\(email)\"")
            }
            let seq = try Attempts.insert(
                db,
                tenant: tenant.id,
                taskSeq: task.seq,
                email: email,
                project: task.projectName,
                score: score,
                passed: passed,
                now: now
            )
            var w = JSONWriter(capacity: 256)
            Attempts.write(try db.row("\(Attempts.select) WHERE a.seq = ?", [seq])!, into: &w)
            return w.bytes
        }
    }

    /// A labeler finishes a pending task: `{response?}` → Task.
    private func completeTask(
        _ tenant: Tenant,
        _ path: [String: String],
        _ body: [String: Any]
    ) async throws
        -> [UInt8]
    {
        let operation = "sandbox.tasks.complete"
        var response = #"{"annotations":[]}"#
        if let given = body["response"] {
            guard JSONSerialization.isValidJSONObject(given),
                let data = try? JSONSerialization.data(withJSONObject: given, options: [.sortedKeys])
            else {
                throw SandboxError.badRequest("\(operation): response must be a JSON object or array")
            }
            response = String(decoding: data, as: UTF8.self)
        }
        let responseText = response
        let taskID = path["task_id"] ?? ""
        let now = Timestamp.now()
        return try await store.write(tenant: tenant.id, touching: .work) { db in
            let task = try Tasks.require(db, tenant: tenant.id, taskID, operation: operation)
            guard task.status == "pending" else {
                throw SandboxError.badRequest(
                    "\(operation): task \"\(taskID)\" is \(task.status), not pending"
                )
            }
            try db.run(
                "UPDATE task SET status = 'completed', completed_at = ?, updated_at = ?, response = ? WHERE seq = ?",
                [now.milliseconds, now.milliseconds, responseText, task.seq]
            )
            try Batches.refreshCompletion(db, tenant: tenant.id)
            return try Tasks.reencode(db, tenant: tenant.id, taskID, operation: operation)
        }
    }

    /// An invited teammate accepts: `{email}` → the team, with the teammate in its new role.
    private func acceptInvitation(
        _ tenant: Tenant,
        _ path: [String: String],
        _ body: [String: Any]
    ) async throws
        -> [UInt8]
    {
        let operation = "sandbox.teams.accept"
        guard let email = body["email"] as? String else {
            throw SandboxError.badRequest("\(operation): email is required")
        }
        let now = Timestamp.now()
        return try await store.write(tenant: tenant.id, touching: .team) { db in
            guard let teammate = try Teammates.byEmail(db, tenant: tenant.id, [email])[email] else {
                throw SandboxError.notFound("\(operation): no teammate with email \"\(email)\"")
            }
            guard teammate.role == "invited" else {
                throw SandboxError.badRequest("\(operation): \"\(email)\" is \(teammate.role), not invited")
            }
            if let expiry = teammate.expiry, expiry < now.milliseconds {
                throw SandboxError.badRequest("\(operation): the invitation of \"\(email)\" has expired")
            }
            try db.run(
                "UPDATE teammate SET role = ?, invited_role = NULL, expiry = NULL WHERE id = ?",
                [teammate.invitedRole ?? "member", teammate.id]
            )
            return Teammates.encode(try Teammates.all(db, tenant: tenant.id))
        }
    }

    /// `{studio: bool}` turns Studio features on or off for the key's account.
    private func setAccount(
        _ tenant: Tenant,
        _ path: [String: String],
        _ body: [String: Any]
    ) async throws
        -> [UInt8]
    {
        guard let studio = body["studio"] as? Bool else {
            throw SandboxError.badRequest("sandbox.account: studio is required (true or false)")
        }
        try await store.setStudio(studio, account: tenant.account)
        authenticator.forget()
        var w = JSONWriter()
        w.beginObject()
        w.field("account", tenant.account)
        w.field("studio", studio)
        w.endObject()
        return w.bytes
    }
}
