-- wrk script for bench/run.py --load wrk: GET the paths of a file in turn, each on a new
-- connection (Connection: close, as gunicorn's sync workers close anyway), and print the
-- figures as one line of JSON.  wrk ... -s bench/wrk_paths.lua URL -- PATHS_FILE OFFSET
local paths = {}
local n = 0
local headers = {["Host"] = "127.0.0.1", ["Accept-Language"] = "de", ["Connection"] = "close"}

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  -- Several wrk processes start at different paths, so they do not ask for the same one in step.
  n = tonumber(args[2]) or 0
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "microseconds": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p95_us": %d}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(95)))
end
