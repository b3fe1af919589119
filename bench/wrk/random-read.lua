-- wrk script: GET {prefix}{id} with the id picked at random, per request, from a file of ids
-- (one per line). Usage: wrk ... -s bench/wrk/random-read.lua URL -- IDS_FILE [PREFIX]
-- PREFIX defaults to /r4/Patient/. Headers given with wrk -H (an Authorization header, say) are
-- added to every request. The requests are formatted once in init(), so the per-request
-- cost in wrk is one table lookup, as cheap as wrk's own fixed request (keeps the comparison with
-- nginx fair on a machine where wrk and the server share the cores).

local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_index", thread_counter)
end

local requests = {}
local count = 0

function init(args)
  local ids_file = args[1]
  local prefix = args[2] or "/r4/Patient/"
  if not ids_file then
    error("random-read.lua: pass the ids file after --")
  end
  local headers = { ["Accept"] = "application/fhir+json" }
  for name, value in pairs(wrk.headers) do -- wrk -H; wrk.format ignores them once headers are passed
    headers[name] = value
  end
  local f = assert(io.open(ids_file, "r"))
  for id in f:lines() do
    if id ~= "" then
      count = count + 1
      requests[count] = wrk.format("GET", prefix .. id, headers)
    end
  end
  f:close()
  if count == 0 then
    error("random-read.lua: no ids in " .. ids_file)
  end
  math.randomseed(os.time() * 100 + (thread_index or 0))
end

function request()
  return requests[math.random(count)]
end
