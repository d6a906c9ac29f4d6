extension Catalog {
    static let studio: [Operation] = [
        Operation(
            id: "studio.assignments.list",
            method: .get,
            path: "/studio/assignments",
            mutates: false,
            summary: "List the Studio projects each active teammate is assigned to.",
            returns: "Assignments",
            response: .model("Assignments")
        ),
        Operation(
            id: "studio.assignments.add",
            method: .post,
            path: "/studio/assignments/add",
            parameters: [
                emails("Emails of the teammates to assign."),
                projectNames("Studio projects to assign them to."),
            ],
            mutates: true,
            retry: .idempotent,
            planned: .keyed("emails", .argument("projects")),
            summary: "Assign teammates to Studio projects.",
            returns: "Assignments, whole team",
            response: .model("Assignments")
        ),
        Operation(
            id: "studio.assignments.remove",
            method: .post,
            path: "/studio/assignments/remove",
            parameters: [
                emails("Emails of the teammates to unassign."),
                projectNames("Studio projects to unassign them from."),
            ],
            mutates: true,
            retry: .idempotent,
            planned: .keyed("emails", .unknown),
            summary: "Unassign teammates from Studio projects.",
            returns: "Assignments, whole team",
            response: .model("Assignments")
        ),
        Operation(
            id: "studio.groups.list",
            method: .get,
            path: "/studio/projects/{project}/groups",
            parameters: [projectPath()],
            mutates: false,
            summary: "List the labeler groups of a Studio project.",
            returns: "[ProjectGroup]",
            response: .array(.model("ProjectGroup"))
        ),
        Operation(
            id: "studio.groups.create",
            method: .post,
            path: "/studio/projects/{project}/groups",
            parameters: [
                projectPath(),
                Parameter("name", in: .body, .string, required: true, doc: "Name of the new group."),
                emails("Members; each must already be assigned to the project.", nonEmpty: false),
            ],
            mutates: true,
            // A repeat fails with 409: group names are unique per project.
            retry: .idempotentByKey(
                Recovery(
                    read: "studio.groups.list",
                    arguments: ["project": "project"],
                    pick: .element(field: "name", equalsArgument: "name")
                )
            ),
            planned: .object([
                "numWorkers": .count(of: "emails"),
                "isSingleton": .literal(false),
                "workers": .each("emails", .object(["email": .item()])),
            ]),
            summary: "Create a labeler group in a Studio project.",
            returns: "ProjectGroup",
            response: .model("ProjectGroup")
        ),
        Operation(
            id: "studio.groups.update",
            method: .put,
            path: "/studio/projects/{project}/groups/{group}",
            parameters: [
                projectPath(),
                Parameter("group", in: .path, .string, required: true, doc: "Name of the group."),
                Parameter(
                    "add_emails",
                    in: .body,
                    .array(.string),
                    doc: "Emails to add; each must already be assigned to the project."
                ),
                Parameter("remove_emails", in: .body, .array(.string), doc: "Emails to remove."),
            ],
            mutates: true,
            retry: .idempotent,
            planned: .object(["name": .argument("group")]),
            summary: "Add members to and remove members from a labeler group.",
            returns: "ProjectGroup",
            response: .model("ProjectGroup")
        ),
        Operation(
            id: "studio.batches.list",
            method: .get,
            path: "/studio/batches",
            mutates: false,
            summary: "List the pending Studio batches in priority order.",
            returns: "[StudioBatch]",
            response: .array(.model("StudioBatch"))
        ),
        Operation(
            id: "studio.batches.set_groups",
            method: .put,
            path: "/studio/batches/{batch}",
            parameters: [
                batchPath(),
                Parameter(
                    "groups",
                    in: .body,
                    .array(.string),
                    required: true,
                    doc: "Group names (or single emails) that may work on the batch; replaces the list."
                ),
            ],
            mutates: true,
            retry: .idempotent,
            planned: .object(["name": .argument("batch")]),
            summary: "Set the labeler groups of a Studio batch.",
            returns: "StudioBatch",
            response: .model("StudioBatch")
        ),
        Operation(
            id: "studio.batches.set_priorities",
            method: .post,
            path: "/studio/batches/set_priorities",
            parameters: [
                Parameter(
                    "batches",
                    in: .body,
                    .array(.record([RecordField("name", .string, required: true, doc: "Batch name.")])),
                    required: true,
                    doc: "Every pending batch exactly once, highest priority first."
                )
            ],
            mutates: true,
            retry: .idempotent,
            planned: .each("batches", .object(["name": .item("name")])),
            summary: "Set the order in which pending Studio batches are worked on.",
            returns: "[StudioBatch] in the new order",
            response: .array(.model("StudioBatch"))
        ),
        Operation(
            id: "studio.batches.reset_priorities",
            method: .post,
            path: "/studio/batches/reset_priorities",
            mutates: true,
            retry: .idempotent,
            planned: .unknown,
            summary: "Restore the default batch order: calibration batches first, then by creation date.",
            returns: "[StudioBatch] in the default order",
            response: .array(.model("StudioBatch"))
        ),
        Operation(
            id: "studio.projects.send_tasks_to_completed",
            method: .post,
            path: "/studio/projects/{project}/send_tasks_to_completed",
            parameters: [
                projectPath(),
                Parameter(
                    "all_batches",
                    in: .body,
                    .boolean,
                    doc: "Every batch of the project; wins over `batches`."
                ),
                Parameter("batches", in: .body, .array(.string), doc: "Names of the batches to complete."),
            ],
            mutates: true,
            // A repeat reports `tasks_completed = 0` instead of the real count, and completes
            // tasks that got their first attempt in between.
            retry: .never,
            summary: "Move unfinished tasks that have at least one attempt to completed.",
            returns: "SendTasksResult {project, batches, tasks_completed}",
            response: .model("SendTasksResult"),
            constraints: [.atLeastOne(of: ["all_batches", "batches"])]
        ),
        Operation(
            id: "projects.update_pipeline_config",
            method: .post,
            path: "/projects/{project}/updatePipelineConfig",
            parameters: [
                projectPath(),
                Parameter(
                    "pipeline",
                    in: .body,
                    .choice(Pipeline.self),
                    required: true,
                    doc: "The task pipeline of the Studio project."
                ),
                Parameter(
                    "consensus_attempts",
                    in: .body,
                    .integer,
                    doc: "Attempts per task; only with the `consensus_task` pipeline.",
                    minimum: consensusAttempts.lowerBound,
                    maximum: consensusAttempts.upperBound
                ),
            ],
            mutates: true,
            retry: .idempotent,
            planned: .object(["name": .argument("project")]),
            summary: "Set the pipeline of a Studio project.",
            returns: "Project",
            aliases: [.init(method: .post, path: "/studio/projects/{project}/updatePipelineConfig")],
            response: .model("Project"),
            constraints: [
                .onlyWith(
                    field: "consensus_attempts",
                    other: "pipeline",
                    equal: .string(Pipeline.consensusTask.rawValue)
                )
            ]
        ),
    ]

    static func projectPath() -> Parameter {
        Parameter("project", in: .path, .string, required: true, doc: "Name of the project.")
    }

    static func batchPath() -> Parameter {
        Parameter("batch", in: .path, .string, required: true, doc: "Name of the batch.")
    }

    static func projectNames(_ doc: String) -> Parameter {
        Parameter("projects", in: .body, .array(.string), required: true, doc: doc, nonEmpty: true)
    }
}
