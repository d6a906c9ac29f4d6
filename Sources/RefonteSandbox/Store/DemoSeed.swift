import GRDB
import RefonteAPI

/// Fills an account with a realistic Studio team, so that every operation has something to act
/// on: teammates in every role, Studio projects with groups, pending batches (calibration among
/// them), 2,000 tasks in every status and training attempts.
///
/// Everything is derived from a fixed seed, so two demo databases hold the same names; ids
/// differ. All rows go in one transaction through prepared statements.
enum DemoSeed {
    static let taskCount = 2000

    /// Seeds the default account in both modes unless it was seeded before; turns Studio on.
    static func apply(to store: SandboxStore, now: Timestamp = .now()) throws {
        try store.pool.write { db in
            for mode in Tenant.Mode.allCases {
                let tenant = try SandboxStore.ensureTenant(db, account: defaultAccount, mode: mode)
                try db.run("UPDATE tenant SET studio = 1 WHERE id = ?", [tenant.id])
                if try db.int("SELECT seeded FROM tenant WHERE id = ?", [tenant.id]) == 1 { continue }
                try seed(db, tenant: tenant.id, now: now)
                try db.run("UPDATE tenant SET seeded = 1 WHERE id = ?", [tenant.id])
            }
        }
    }

    private struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    static let firstNames = [
        "Ada", "Bruno", "Chloé", "Dmitri", "Esther", "Farid", "Greta", "Hugo", "Inès", "Jonas", "Kenji",
        "Léa",
        "Mateo", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Samir", "Tess",
    ]
    static let lastNames = [
        "Martin", "Okafor", "Nguyen", "Silva", "Kowalski", "Haddad", "Larsen", "Moreau", "Tanaka", "Rossi",
    ]

    /// (role, count): 60 teammates in every role.
    static let roster: [(String, Int)] = [
        ("admin", 2), ("manager", 6), ("member", 12), ("labeler", 30), ("invited", 6), ("disabled", 4),
    ]

    static let studioProjects: [(name: String, type: String, pipeline: String, attempts: Int?)] = [
        ("Street Scenes", "imageannotation", "standard_task", nil),
        ("Support Chats", "chat", "consensus_task", 3),
        ("Invoice Fields", "documenttranscription", "standard_task", nil),
        ("Product Photos/EU", "categorization", "standard_task", nil),
    ]

    private static func seed(_ db: Database, tenant: Int64, now: Timestamp) throws {
        var random = Random(state: 0x5EED_0000 &+ UInt64(tenant))
        let day: Int64 = 86_400_000
        let start = now.milliseconds - 60 * day

        // Teammates.
        var labelers: [(id: Int64, email: String)] = []
        var workers: [(id: Int64, email: String)] = []
        var index = 0
        for (role, count) in roster {
            for _ in 0..<count {
                let first = firstNames[index % firstNames.count]
                let last = lastNames[(index / 2) % lastNames.count]
                let email = "\(first.lowercased().filter(\.isASCII)).\(last.lowercased())\(index)@example.com"
                let invitedRole = role == "invited" ? (index % 2 == 0 ? "labeler" : "member") : nil
                // Some invitations have lapsed, as they do in a real team.
                let expiry = role == "invited" ? now.adding(days: index % 3 == 0 ? -2 : 5) : nil
                try Teammates.insert(
                    db,
                    tenant: tenant,
                    email: email,
                    role: role,
                    invitedRole: invitedRole,
                    firstName: role == "invited" ? nil : first,
                    lastName: role == "invited" ? nil : last,
                    company: role == "labeler" ? "Refonte Workforce" : "Example Corp",
                    expiry: expiry,
                    now: Timestamp(milliseconds: start + Int64(index) * 3_600_000)
                )
                let id = db.lastInsertedRowID
                if role == "labeler" { labelers.append((id, email)) }
                if role == "labeler" || role == "member" { workers.append((id, email)) }
                index += 1
            }
        }

        // Projects: four Studio ones and one classic API project.
        var projects: [(id: Int64, name: String)] = []
        for (offset, spec) in studioProjects.enumerated() {
            try db.run(
                """
                INSERT INTO project (tenant_id, name, type, created_at, studio, rapid, pipeline, consensus_attempts)
                VALUES (?, ?, ?, ?, 1, 0, ?, ?)
                """,
                [tenant, spec.name, spec.type, start + Int64(offset) * day, spec.pipeline, spec.attempts]
            )
            let id = db.lastInsertedRowID
            projects.append((id, spec.name))
            try Projects.recordParams(
                db,
                project: id,
                params: ["instruction": .string("Label every \(spec.type) item carefully.")],
                patch: false,
                now: Timestamp(milliseconds: start + Int64(offset) * day)
            )
        }
        try db.run(
            "INSERT INTO project (tenant_id, name, type, created_at, studio, rapid) VALUES (?, 'API Transcripts', 'transcription', ?, 0, 1)",
            [tenant, start]
        )
        let apiProject = db.lastInsertedRowID
        try Projects.recordParams(
            db,
            project: apiProject,
            params: [:],
            patch: false,
            now: Timestamp(milliseconds: start)
        )

        // Assignments: each worker on one or two Studio projects; groups of assigned workers.
        var assigned: [Int64: [(id: Int64, email: String)]] = [:]
        for (offset, worker) in workers.enumerated() {
            let first = projects[offset % projects.count]
            let second = projects[(offset / projects.count + offset + 1) % projects.count]
            for project in Set([first.id, second.id]) {
                try db.run(
                    "INSERT INTO assignment (teammate_id, project_id) VALUES (?, ?)",
                    [worker.id, project]
                )
                assigned[project, default: []].append(worker)
            }
        }
        var groupNames: [Int64: [String]] = [:]
        for (offset, project) in projects.enumerated() {
            let members = assigned[project.id] ?? []
            for (g, label) in ["Experts", "Reviewers", "Night Shift"].enumerated() {
                let name = "\(project.name.split(separator: "/").first!) \(label)"
                try db.run(
                    """
                    INSERT INTO labeler_group (public_id, tenant_id, project_id, name, is_singleton, created_at)
                    VALUES (?, ?, ?, ?, 0, ?)
                    """,
                    [RandomID.make(), tenant, project.id, name, start + Int64(offset + g) * day]
                )
                let group = db.lastInsertedRowID
                for (m, member) in members.enumerated() where m % 3 == g {
                    try db.run(
                        "INSERT INTO group_member (group_id, teammate_id) VALUES (?, ?)",
                        [group, member.id]
                    )
                }
                groupNames[project.id, default: []].append(name)
            }
        }

        // Batches: three pending per Studio project (the first a calibration batch), one finished
        // per Studio project, and two on the API project.
        var batches: [(id: Int64, project: Int64, open: Bool)] = []
        var priority: Int64 = 0
        for (offset, project) in projects.enumerated() {
            for b in 0..<4 {
                let calibration = b == 0
                let completed = b == 3
                let name =
                    calibration
                    ? "\(project.name) calibration" : "\(project.name) week \(b + (completed ? 0 : 1))"
                let created = start + Int64(10 + offset * 3 + b * 7) * day
                if !completed { priority += 1 }
                try db.run(
                    """
                    INSERT INTO batch (public_id, tenant_id, project_id, name, status, created_at, calibration, metadata,
                        priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        RandomID.make(), tenant, project.id, completed ? "\(name) (done)" : name,
                        completed ? "completed" : (b == 2 ? "staging" : "in_progress"), created, calibration,
                        JSONValue.object(["team": .string("ops"), "week": .integer(Int64(b))]).canonicalText,
                        completed ? nil : priority,
                    ]
                )
                let batch = db.lastInsertedRowID
                batches.append((batch, project.id, !completed))
                if !completed {
                    for (position, group) in (groupNames[project.id] ?? []).prefix(b == 0 ? 1 : 2)
                        .enumerated()
                    {
                        try db.run(
                            "INSERT INTO batch_group (batch_id, position, name) VALUES (?, ?, ?)",
                            [batch, position, group]
                        )
                    }
                }
            }
        }
        for b in 0..<2 {
            try db.run(
                """
                INSERT INTO batch (public_id, tenant_id, project_id, name, status, created_at, metadata)
                VALUES (?, ?, ?, ?, ?, ?, '{}')
                """,
                [
                    RandomID.make(), tenant, apiProject, "API Transcripts batch \(b + 1)",
                    b == 0 ? "completed" : "staging",
                    start + Int64(5 + b * 20) * day,
                ]
            )
            batches.append((db.lastInsertedRowID, apiProject, b == 1))
        }

        // Tasks, oldest first so that sequence numbers follow creation dates.
        let insertTask = try db.cachedStatement(
            sql: """
                INSERT INTO task (task_id, tenant_id, type, status, project_id, batch_id, created_at, updated_at,
                    completed_at, instruction, callback_url, params, metadata, unique_id, tags, response)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        let insertAttempt = try db.cachedStatement(
            sql: """
                INSERT INTO attempt (public_id, tenant_id, task_seq, labeler_email, project_name, score, passed, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        let typeByProject = Dictionary(
            uniqueKeysWithValues: zip(projects.map(\.id), studioProjects.map(\.type)) + [
                (apiProject, "transcription")
            ]
        )
        let nameByProject = Dictionary(
            uniqueKeysWithValues: projects.map { ($0.id, $0.name) } + [(apiProject, "API Transcripts")]
        )
        let tagPool = ["urgent", "night", "retail", "eu", "audit", "gold"]
        for n in 0..<taskCount {
            let batch = batches[random.below(batches.count)]
            let roll = random.below(100)
            // Closed batches hold only finished tasks.
            let status: String =
                !batch.open
                ? (roll < 85 ? "completed" : roll < 93 ? "canceled" : "error")
                : (roll < 55 ? "pending" : roll < 80 ? "completed" : roll < 92 ? "canceled" : "error")
            let created = start + Int64(n) * (55 * day / Int64(taskCount)) + Int64(random.below(60_000))
            let completedAt: Int64? =
                status == "completed" ? created + Int64(1 + random.below(48)) * 3_600_000 : nil
            let updated = completedAt ?? (status == "pending" ? created : created + 3_600_000)
            var tags: [String] = []
            for tag in tagPool where random.below(6) == 0 { tags.append(tag) }
            let metadata: JSONValue = .object([
                "source": .string(["crawler", "upload", "partner"][n % 3]), "row": .integer(Int64(n)),
            ])
            let response: String? =
                status == "completed"
                ? JSONValue.object([
                    "annotations": .array([]), "labeler_confidence": .double(0.5 + random.unit() / 2),
                ])
                .canonicalText : nil
            try insertTask.execute(arguments: [
                RandomID.make(), tenant, typeByProject[batch.project]!, status, batch.project, batch.id,
                created, updated,
                completedAt, "Label item \(n + 1) following the project guidelines.",
                n % 4 == 0 ? "https://hooks.example.com/refonte" : nil,
                JSONValue.object(["attachment": .string("https://assets.example.com/items/\(n + 1).jpg")])
                    .canonicalText,
                metadata.canonicalText, n % 5 == 0 ? "demo-\(n + 1)" : nil,
                JSONValue.array(tags.map(JSONValue.string)).canonicalText, response,
            ])
            let taskSeq = db.lastInsertedRowID
            // Training attempts: on most finished tasks and on some pending ones (those are the
            // ones that send_tasks_to_completed moves).
            let attempts =
                status == "completed"
                ? 1 + random.below(2) : status == "pending" && random.below(4) == 0 ? 1 : 0
            for a in 0..<attempts where !labelers.isEmpty {
                let labeler = labelers[random.below(labelers.count)]
                let score = (random.unit() * 100).rounded() / 100
                try insertAttempt.execute(arguments: [
                    RandomID.make(), tenant, taskSeq, labeler.email, nameByProject[batch.project]!, score,
                    score >= 0.6,
                    created + Int64(a + 1) * 1_800_000,
                ])
            }
        }
    }
}
