Console.Error.WriteLine("worker: not built yet"); return 2;
