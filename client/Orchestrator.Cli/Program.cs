Console.Error.WriteLine("orch: not built yet"); return 2;
