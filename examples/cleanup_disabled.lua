-- Remove every project assignment still held by disabled teammates.
--
--   refonte run examples/cleanup_disabled.lua
-- Disabled members are left out of the assignments list, so this reads the team to find them
-- and removes them from every Studio project the account has.
local disabled = {}
for _, member in ipairs(refonte.teams.list()) do
  if member.role == "disabled" then disabled[#disabled + 1] = member.email end
end
if #disabled == 0 then
  print("no disabled teammates")
  return
end

local studio_projects = {}
for _, project in ipairs(refonte.projects.list()) do
  if project.studio then studio_projects[#studio_projects + 1] = project.name end
end

local ok, err = refonte.try(refonte.studio.assignments.remove,
  { emails = disabled, projects = studio_projects })
if not ok then
  log.error("cleanup failed", { error = tostring(err) })
  error(err)
end
log.info("removed assignments", { members = #disabled, projects = #studio_projects })
print(string.format("cleared %d disabled members from %d projects", #disabled, #studio_projects))
