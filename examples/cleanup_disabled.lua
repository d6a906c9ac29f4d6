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
-- The API lists no assignments of disabled teammates, before or after, so the script cannot
-- know which of them were still held: it says what it asked for, not what it "cleared".
log.info("sent assignment removals", { members = #disabled, projects = #studio_projects })
print(string.format(
  "asked to remove %d disabled teammates from %d Studio projects; any assignment they still held is gone "
    .. "(the API does not list assignments of disabled teammates, so which ones were held cannot be seen)",
  #disabled, #studio_projects))
