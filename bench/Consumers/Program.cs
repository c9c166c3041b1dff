using EdgePartition.Consumers.Bench;

// Websocket fan-out benchmark of the consumers.
//   dotnet run -c Release --project bench/Consumers -- [--clients 100] [--rate 10000] [--commit-hz 100] [--seconds 10]
// The harness writes a device segment (SegmentWriter) at the given tag-change rate, runs the consumers as a child
// process (this program in "serve" mode) and connects the websocket clients; it reports delivery latency from the
// segment write (the tag's source timestamp) to the client's receive, and the consumers process's CPU and memory.
return args.Length > 0 && args[0] == "serve"
    ? await ServeMode.RunAsync(args)
    : await FanOutBenchmark.RunAsync(BenchOptions.Parse(args));
