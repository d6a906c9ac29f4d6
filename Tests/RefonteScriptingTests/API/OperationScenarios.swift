/// For every catalog operation, a Lua snippet that calls it against the sandbox and then checks
/// the result against the sandbox's state, read back through other operations.
///
/// The end-to-end test walks `Catalog.operations` and looks each id up here, so an operation
/// added to the catalog without a scenario fails the suite.
let operationScenarios: [String: String] = [
    "teams.list": """
    local team = refonte.teams.list()
    check(#team >= 50, "expected the seeded team, got %d members", #team)
    check(find(team, function(m) return m.role == "admin" end), "no admin in the team")
    """,
    "teams.invite": """
    local email = "invitee-" .. S .. "@example.com"
    local team = refonte.teams.invite { emails = { email }, role = "member" }
    local invited = find(team, function(m) return m.email == email end)
    check(invited and invited.role == "invited" and invited.expiry, "invite not in the answer")
    local listed = find(refonte.teams.list(), function(m) return m.email == email end)
    check(listed and listed.role == "invited", "invite not in the team")
    """,
    "teams.set_role": """
    local email = member("member")
    refonte.teams.set_role { emails = { email }, role = "manager" }
    local listed = find(refonte.teams.list(), function(m) return m.email == email end)
    check(listed.role == "manager", "role is %s", listed.role)
    """,
    "studio.assignments.list": """
    local assignments = refonte.studio.assignments.list()
    check(assignments[member("labeler")] ~= nil, "an active labeler is missing")
    check(assignments[member("disabled")] == nil, "a disabled member is listed")
    """,
    "studio.assignments.add": """
    local project, email = studio_project(), member("labeler")
    local answer = refonte.studio.assignments.add { emails = { email }, projects = { project } }
    check(contains(answer[email], project), "not in the answer")
    check(contains(refonte.studio.assignments.list()[email], project), "not assigned")
    """,
    "studio.assignments.remove": """
    local project = studio_project()
    local email = assigned_labeler(project)
    refonte.studio.assignments.remove { emails = { email }, projects = { project } }
    check(not contains(refonte.studio.assignments.list()[email], project), "still assigned")
    """,
    "studio.groups.list": """
    local groups = refonte.studio.groups.list { project = studio_project() }
    check(#groups > 0 and groups[1].name and groups[1].numWorkers ~= nil, "no groups")
    """,
    "studio.groups.create": """
    local project = studio_project()
    local email = assigned_labeler(project)
    local group = refonte.studio.groups.create { project = project, name = "g " .. S, emails = { email } }
    check(group.numWorkers == 1 and group.workers[1].email == email, "wrong members")
    local listed = find(refonte.studio.groups.list { project = project }, function(g) return g.name == "g " .. S end)
    check(listed and listed.numWorkers == 1, "group not listed")
    """,
    "studio.groups.update": """
    local project = studio_project()
    local email = assigned_labeler(project)
    refonte.studio.groups.create { project = project, name = "g " .. S, emails = {} }
    local group = refonte.studio.groups.update { project = project, group = "g " .. S, add_emails = { email } }
    check(group.numWorkers == 1, "add failed")
    refonte.studio.groups.update { project = project, group = "g " .. S, remove_emails = { email } }
    local listed = find(refonte.studio.groups.list { project = project }, function(g) return g.name == "g " .. S end)
    check(listed.numWorkers == 0, "remove failed: %d workers", listed.numWorkers)
    """,
    "studio.batches.list": """
    local batches = refonte.studio.batches.list()
    check(#batches >= 10, "expected the seeded pending batches, got %d", #batches)
    check(batches[1].batchType and batches[1].studioPriority ~= nil, "not StudioBatch objects")
    """,
    "studio.batches.set_groups": """
    local batch = refonte.studio.batches.list()[1]
    local group = refonte.studio.groups.list { project = batch.projectName }[1].name
    local answer = refonte.studio.batches.set_groups { batch = batch.name, groups = { group } }
    check(#answer.groups == 1 and answer.groups[1] == group, "answer has other groups")
    local listed = find(refonte.studio.batches.list(), function(b) return b.name == batch.name end)
    check(#listed.groups == 1 and listed.groups[1] == group, "groups not replaced")
    """,
    "studio.batches.set_priorities": """
    local order = {}
    local batches = refonte.studio.batches.list()
    for i = #batches, 1, -1 do order[#order + 1] = { name = batches[i].name } end
    refonte.studio.batches.set_priorities { batches = order }
    local after = refonte.studio.batches.list()
    for i, b in ipairs(after) do check(b.name == order[i].name, "position %d is %s", i, b.name) end
    """,
    "studio.batches.reset_priorities": """
    local order = {}
    local batches = refonte.studio.batches.list()
    for i = #batches, 1, -1 do order[#order + 1] = { name = batches[i].name } end
    refonte.studio.batches.set_priorities { batches = order }
    local reset = refonte.studio.batches.reset_priorities()
    local seen_production = false
    for _, b in ipairs(reset) do
      if b.batchType == "Production" then seen_production = true end
      check(not (seen_production and b.batchType == "Calibration"), "calibration after production")
    end
    check(refonte.studio.batches.list()[1].name == reset[1].name, "order not kept")
    """,
    "studio.projects.send_tasks_to_completed": """
    local project = studio_project()
    local function completed()
      local n = 0
      for _ in refonte.tasks.iter { project = project, status = "completed" } do n = n + 1 end
      return n
    end
    local before = completed()
    local answer = refonte.studio.projects.send_tasks_to_completed { project = project, all_batches = true }
    check(answer.project == project and type(answer.batches) == "table", "bad answer")
    check(completed() == before + answer.tasks_completed, "counts do not add up")
    """,
    "projects.update_pipeline_config": """
    local project = new_project(true)
    local answer = refonte.projects.update_pipeline_config {
      project = project, pipeline = "consensus_task", consensus_attempts = 3,
    }
    check(answer.pipeline == "consensus_task", "answer not updated")
    local stored = refonte.projects.get { project = project }
    check(stored.pipeline == "consensus_task" and stored.consensus_attempts == 3, "not stored")
    """,
    "quality.attempts.list": """
    local email = member("labeler")
    local page = refonte.quality.attempts.list { labeler_emails = { email }, limit = 5 }
    check(type(page.docs) == "table" and page.has_more ~= nil, "not a page")
    for _, attempt in ipairs(page.docs) do
      check(attempt.labeler_email == email, "attempt of %s", attempt.labeler_email)
    end
    """,
    "projects.create": """
    local project = refonte.projects.create { type = "categorization", name = "created " .. S, params = { instruction = "pick one" } }
    check(project.name == "created " .. S and project.type == "categorization", "bad answer")
    check(refonte.projects.get { project = "created " .. S }.type == "categorization", "not stored")
    """,
    "projects.list": """
    local name = new_project(false)
    check(find(refonte.projects.list(), function(p) return p.name == name end), "not listed")
    """,
    "projects.get": """
    local name = new_project(true)
    local project = refonte.projects.get { project = name }
    check(project.name == name and project.studio == true, "bad project")
    """,
    "projects.set_params": """
    local name = new_project(false)
    local before = #refonte.projects.get { project = name }.param_history
    refonte.projects.set_params { project = name, instruction = "new words", patch = false }
    local history = refonte.projects.get { project = name }.param_history
    check(#history == before + 1 and history[#history].instruction == "new words", "no new version")
    """,
    "batches.create": """
    local project = new_project(false)
    local batch = refonte.batches.create { project = project, name = "made " .. S, metadata = { week = 3 } }
    check(batch.status == "staging", "status %s", batch.status)
    check(refonte.batches.get { batch = "made " .. S }.metadata.week == 3, "not stored")
    """,
    "batches.get": """
    local batch = new_batch(new_project(false))
    check(refonte.batches.get { batch = batch }.name == batch, "wrong batch")
    """,
    "batches.status": """
    local project = new_project(false)
    local batch = new_batch(project)
    new_task(project, batch)
    local status = refonte.batches.status { batch = batch }
    check(status.pending == 1 and status.completed == 0, "counts %d/%d", status.pending, status.completed)
    """,
    "batches.list": """
    local project = new_project(false)
    local batch = new_batch(project)
    local page = refonte.batches.list { project = project, limit = 10 }
    check(page.total == 1 and page.totalDocs == 1 and page.docs[1].name == batch, "not listed")
    """,
    "batches.finalize": """
    local project = new_project(false)
    local batch = new_batch(project)
    new_task(project, batch)
    refonte.batches.finalize { batch = batch }
    check(refonte.batches.get { batch = batch }.status == "in_progress", "not finalized")
    """,
    "batches.set_metadata": """
    local batch = new_batch(new_project(false))
    refonte.batches.set_metadata { batch = batch, metadata = { owner = "ops", week = 7 } }
    local metadata = refonte.batches.get { batch = batch }.metadata
    check(metadata.owner == "ops" and metadata.week == 7, "not stored")
    """,
    "tasks.create": """
    local project = new_project(false)
    local task = new_task(project, new_batch(project))
    check(task.status == "pending" and task.params.geometries ~= nil, "bad task")
    check(refonte.tasks.get { task_id = task.task_id }.unique_id == "e2e-" .. S, "not stored")
    local again, err = refonte.try(new_task, project)
    check(again == nil and err.code == "duplicate" and err.status == 409, "duplicate unique_id accepted")
    """,
    "tasks.get": """
    local project = new_project(false)
    local task = new_task(project, new_batch(project))
    check(refonte.tasks.get { task_id = task.task_id }.project == project, "wrong task")
    """,
    "tasks.list": """
    local project = new_project(false)
    local task = new_task(project, new_batch(project))
    local page = refonte.tasks.list { project = project, limit = 10 }
    check(#page.docs == 1 and page.docs[1].task_id == task.task_id, "not listed")
    """,
    "tasks.cancel": """
    local project = new_project(false)
    local task = new_task(project, new_batch(project))
    refonte.tasks.cancel { task_id = task.task_id }
    refonte.tasks.cancel { task_id = task.task_id }
    check(refonte.tasks.get { task_id = task.task_id }.status == "canceled", "not canceled")
    """,
    "tasks.audit": """
    local done
    for task in refonte.tasks.iter { status = "completed", limit = 5 } do done = task break end
    local audited = refonte.tasks.audit { task_id = done.task_id, accepted = false, comments = "redo" }
    check(audited.task_id == done.task_id, "wrong task")
    """,
    "tasks.set_metadata": """
    local project = new_project(false)
    local task = new_task(project, new_batch(project))
    refonte.tasks.set_metadata { task_id = task.task_id, metadata = { reviewed = true } }
    local metadata = refonte.tasks.get { task_id = task.task_id }.metadata
    check(metadata.reviewed == true and metadata.source == nil, "metadata not replaced")
    """,
    "tasks.set_tags": """
    local project = new_project(false)
    local task = new_task(project, new_batch(project))
    refonte.tasks.set_tags { task_id = task.task_id, tags = { "a", "b" } }
    local tags = refonte.tasks.get { task_id = task.task_id }.tags
    check(#tags == 2 and contains(tags, "a") and contains(tags, "b"), "tags not set")
    """,
    "tasks.add_tags": """
    local project = new_project(false)
    local task = new_task(project, new_batch(project))
    refonte.tasks.set_tags { task_id = task.task_id, tags = { "a" } }
    refonte.tasks.add_tags { task_id = task.task_id, tags = { "b" } }
    local tags = refonte.tasks.get { task_id = task.task_id }.tags
    check(#tags == 2 and contains(tags, "b"), "tag not added")
    """,
    "tasks.remove_tags": """
    local project = new_project(false)
    local task = new_task(project, new_batch(project))
    refonte.tasks.set_tags { task_id = task.task_id, tags = { "a", "b" } }
    refonte.tasks.remove_tags { task_id = task.task_id, tags = { "a" } }
    local tags = refonte.tasks.get { task_id = task.task_id }.tags
    check(#tags == 1 and tags[1] == "b", "tag not removed")
    """,
    "tasks.set_unique_id": """
    local project = new_project(false)
    local task = new_task(project, new_batch(project))
    refonte.tasks.set_unique_id { task_id = task.task_id, unique_id = "renamed-" .. S }
    check(refonte.tasks.get { task_id = task.task_id }.unique_id == "renamed-" .. S, "not set")
    """,
    "tasks.clear_unique_id": """
    local project = new_project(false)
    local task = new_task(project, new_batch(project))
    refonte.tasks.clear_unique_id { task_id = task.task_id }
    check(refonte.tasks.get { task_id = task.task_id }.unique_id == nil, "not cleared")
    """,
    "files.import": """
    local project = new_project(false)
    local file = refonte.files.import { file_url = "https://assets.example.com/" .. S .. ".png", project_name = project }
    check(file.id and file.attachment_url and contains(file.project_names, project), "bad import")
    """,
]
