-- A quality report: training attempts per labeler, with pass rate and mean score.
--
--   refonte run examples/quality_report.lua [-- EMAIL ...]
-- With no emails, it reports on every labeler of the team.
local emails = { table.unpack(arg) }
if #emails == 0 then
  for _, member in ipairs(refonte.teams.list()) do
    if member.role == "labeler" then emails[#emails + 1] = member.email end
  end
end
if #emails == 0 then
  print("no labelers on the team")
  return
end

local stats = {}
-- The iterator fetches page after page lazily (100 attempts each), following next_token.
for attempt in refonte.quality.attempts.iter { labeler_emails = emails, page_size = 100 } do
  local s = stats[attempt.labeler_email] or { attempts = 0, passed = 0, score = 0 }
  s.attempts = s.attempts + 1
  if attempt.passed then s.passed = s.passed + 1 end
  s.score = s.score + attempt.score
  stats[attempt.labeler_email] = s
end

local names = {}
for email in pairs(stats) do names[#names + 1] = email end
table.sort(names)

print(string.format("%-36s %8s %8s %10s", "labeler", "attempts", "passed", "mean score"))
for _, email in ipairs(names) do
  local s = stats[email]
  print(string.format("%-36s %8d %7.0f%% %10.2f", email, s.attempts,
    100 * s.passed / s.attempts, s.score / s.attempts))
end
print(string.format("%d of %d labelers have attempts", #names, #emails))
