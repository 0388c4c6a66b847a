-- Requests cycle through the paths listed one per line in the file named by WRK_PATHS;
-- each wrk connection starts at a different line.
local paths, counter = {}, 0

init = function(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do
    paths[#paths + 1] = line
  end
  counter = math.random(#paths)
end

request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
