-- Onboard labelers from a CSV: invite them, assign them to their Studio projects and add them
-- to a labeler group (created when it does not exist yet).
--
--   refonte run examples/onboard_labelers.lua -- examples/labelers.csv
--
-- The CSV has the columns email, project, group (group names are unique across the account).
-- Re-running it is safe: people already on the team are not invited again, and existing groups
-- are updated rather than created. Invited labelers can be assigned and grouped right away.
local path = arg[1] or error("usage: onboard_labelers.lua LABELERS.csv")
local rows = csv.read(path)
log.info("read labelers", { file = path, rows = #rows })

-- Who is on the team already?
local known = {}
for _, member in ipairs(refonte.teams.list()) do
  known[member.email] = true
end

local to_invite, by_project, by_group = {}, {}, {}
for _, row in ipairs(rows) do
  if not known[row.email] then
    to_invite[#to_invite + 1] = row.email
    known[row.email] = true
  end
  by_project[row.project] = by_project[row.project] or {}
  table.insert(by_project[row.project], row.email)
  local key = row.project .. "\0" .. row.group
  by_group[key] = by_group[key] or { project = row.project, name = row.group, emails = {} }
  table.insert(by_group[key].emails, row.email)
end

if #to_invite > 0 then
  refonte.teams.invite { emails = to_invite, role = "labeler" }
end
log.info("invited", { count = #to_invite })

for project, emails in pairs(by_project) do
  refonte.studio.assignments.add { emails = emails, projects = { project } }
  log.info("assigned", { project = project, count = #emails })
end

for _, group in pairs(by_group) do
  local existing = {}
  for _, g in ipairs(refonte.studio.groups.list { project = group.project }) do
    existing[g.name] = true
  end
  local result
  if existing[group.name] then
    result = refonte.studio.groups.update {
      project = group.project, group = group.name, add_emails = group.emails,
    }
  else
    result = refonte.studio.groups.create {
      project = group.project, name = group.name, emails = group.emails,
    }
  end
  log.info("group ready", { project = group.project, group = group.name, workers = result.numWorkers })
end

print(string.format("onboarded %d labelers (%d newly invited)", #rows, #to_invite))
