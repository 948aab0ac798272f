// A thin C ABI over Gloo for the managed network communicator (see Communication/Gloo). Compiled on first use with the
// host's g++ against libgloo-dev; every function returns 0 on success and -1 with a message in `error` on failure, so
// that no C++ exception ever crosses into .NET.
#include <gloo/allgatherv.h>
#include <gloo/allreduce.h>
#include <gloo/alltoallv.h>
#include <gloo/barrier.h>
#include <gloo/broadcast.h>
#include <gloo/math.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/file_store.h>
#include <gloo/rendezvous/prefix_store.h>
#include <gloo/transport/tcp/device.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

namespace {

using Milliseconds = std::chrono::milliseconds;

struct Device {
  std::shared_ptr<gloo::transport::Device> device;
};

struct Context {
  std::shared_ptr<gloo::rendezvous::Context> context;
};

struct Receive {
  std::unique_ptr<gloo::transport::UnboundBuffer> buffer;
};

void Fail(char* error, int capacity, const char* message) {
  if (error == nullptr || capacity <= 0) return;
  std::strncpy(error, message, static_cast<size_t>(capacity) - 1);
  error[capacity - 1] = '\0';
}

template <typename Body>
int Guard(char* error, int capacity, Body body) {
  try {
    body();
    return 0;
  } catch (const std::exception& e) {
    Fail(error, capacity, e.what());
  } catch (...) {
    Fail(error, capacity, "unknown C++ exception");
  }
  return -1;
}

// Element types, numbered as the managed side's GlooDataType.
template <typename T>
void Reduce(gloo::AllreduceOptions& options, int operation) {
  if (operation == 1) {
    options.setReduceFunction(static_cast<void (*)(void*, const void*, const void*, size_t)>(&gloo::max<T>));
  } else {
    options.setReduceFunction(static_cast<void (*)(void*, const void*, const void*, size_t)>(&gloo::sum<T>));
  }
}

template <typename T>
void AllReduceTyped(Context* c, void* data, int64_t count, int operation, int64_t timeout) {
  gloo::AllreduceOptions options(c->context);
  options.setOutput<T>(static_cast<T*>(data), static_cast<size_t>(count));
  options.setAlgorithm(gloo::AllreduceOptions::Algorithm::RING);
  options.setTimeout(Milliseconds(timeout));
  Reduce<T>(options, operation);
  gloo::allreduce(options);
}

}  // namespace

extern "C" {

void* orch_gloo_device_create(const char* host, char* error, int capacity) {
  Device* result = nullptr;
  Guard(error, capacity, [&] {
    gloo::transport::tcp::attr attributes;
    attributes.hostname = host;
    result = new Device{gloo::transport::tcp::CreateDevice(attributes)};
  });
  return result;
}

void orch_gloo_device_free(void* device) { delete static_cast<Device*>(device); }

void* orch_gloo_connect(void* device, const char* store_directory, const char* prefix, int rank, int size,
                        int64_t timeout, char* error, int capacity) {
  Context* result = nullptr;
  Guard(error, capacity, [&] {
    gloo::rendezvous::FileStore files(store_directory);
    gloo::rendezvous::PrefixStore store(prefix, files);
    auto context = std::make_shared<gloo::rendezvous::Context>(rank, size);
    context->setTimeout(Milliseconds(timeout));
    context->connectFullMesh(store, static_cast<Device*>(device)->device);
    result = new Context{context};
  });
  return result;
}

void orch_gloo_context_free(void* context) { delete static_cast<Context*>(context); }

// data_type: 0 float32, 1 float64, 2 int32, 3 int64, 4 uint8, 5 int8; operation: 0 sum, 1 max.
int orch_gloo_allreduce(void* context, void* data, int64_t count, int data_type, int operation, int64_t timeout,
                        char* error, int capacity) {
  return Guard(error, capacity, [&] {
    auto* c = static_cast<Context*>(context);
    switch (data_type) {
      case 0: AllReduceTyped<float>(c, data, count, operation, timeout); break;
      case 1: AllReduceTyped<double>(c, data, count, operation, timeout); break;
      case 2: AllReduceTyped<int32_t>(c, data, count, operation, timeout); break;
      case 3: AllReduceTyped<int64_t>(c, data, count, operation, timeout); break;
      case 4: AllReduceTyped<uint8_t>(c, data, count, operation, timeout); break;
      case 5: AllReduceTyped<int8_t>(c, data, count, operation, timeout); break;
      default: throw std::invalid_argument("unsupported data type " + std::to_string(data_type));
    }
  });
}

// Every rank's bytes, concatenated in rank order into `output`; bytes_per_rank has one entry per rank.
int orch_gloo_allgatherv(void* context, const void* input, void* output, const int64_t* bytes_per_rank,
                         int64_t timeout, char* error, int capacity) {
  return Guard(error, capacity, [&] {
    auto* c = static_cast<Context*>(context);
    std::vector<size_t> counts(bytes_per_rank, bytes_per_rank + c->context->size);
    gloo::AllgathervOptions options(c->context);
    options.setInput<uint8_t>(static_cast<uint8_t*>(const_cast<void*>(input)), counts[c->context->rank]);
    options.setOutput<uint8_t>(static_cast<uint8_t*>(output), counts);
    options.setTimeout(Milliseconds(timeout));
    gloo::allgatherv(options);
  });
}

// input holds the bytes for rank 0, 1, ... in order; output receives the bytes from rank 0, 1, ... in order.
int orch_gloo_alltoallv(void* context, const void* input, const int64_t* input_bytes, void* output,
                        const int64_t* output_bytes, int64_t timeout, char* error, int capacity) {
  return Guard(error, capacity, [&] {
    auto* c = static_cast<Context*>(context);
    std::vector<int64_t> in(input_bytes, input_bytes + c->context->size);
    std::vector<int64_t> out(output_bytes, output_bytes + c->context->size);
    gloo::AlltoallvOptions options(c->context);
    options.setInput<uint8_t>(static_cast<uint8_t*>(const_cast<void*>(input)), in);
    options.setOutput<uint8_t>(static_cast<uint8_t*>(output), out);
    options.setTimeout(Milliseconds(timeout));
    gloo::alltoallv(options);
  });
}

int orch_gloo_broadcast(void* context, void* data, int64_t bytes, int root, int64_t timeout, char* error,
                        int capacity) {
  return Guard(error, capacity, [&] {
    auto* c = static_cast<Context*>(context);
    gloo::BroadcastOptions options(c->context);
    options.setOutput<uint8_t>(static_cast<uint8_t*>(data), static_cast<size_t>(bytes));
    options.setRoot(root);
    options.setTimeout(Milliseconds(timeout));
    gloo::broadcast(options);
  });
}

int orch_gloo_barrier(void* context, int64_t timeout, char* error, int capacity) {
  return Guard(error, capacity, [&] {
    gloo::BarrierOptions options(static_cast<Context*>(context)->context);
    options.setTimeout(Milliseconds(timeout));
    gloo::barrier(options);
  });
}

// Point to point: sends block until the bytes are handed to the peer, receives are posted and then awaited, so
// that another thread can abort a wait (cancellation) without a timeout closing the context's connections.
int orch_gloo_send(void* context, const void* data, int64_t bytes, int destination, uint64_t slot, int64_t timeout,
                   char* error, int capacity) {
  return Guard(error, capacity, [&] {
    auto* c = static_cast<Context*>(context);
    auto buffer = c->context->createUnboundBuffer(const_cast<void*>(data), static_cast<size_t>(bytes));
    buffer->send(destination, slot);
    if (!buffer->waitSend(Milliseconds(timeout))) throw std::runtime_error("send aborted");
  });
}

void* orch_gloo_receive_post(void* context, void* data, int64_t bytes, int source, uint64_t slot, char* error,
                             int capacity) {
  Receive* result = nullptr;
  Guard(error, capacity, [&] {
    auto* c = static_cast<Context*>(context);
    auto buffer = c->context->createUnboundBuffer(data, static_cast<size_t>(bytes));
    buffer->recv(source, slot);
    result = new Receive{std::move(buffer)};
  });
  return result;
}

// 0: received; 1: aborted by orch_gloo_receive_abort; -1: failed (peer gone, timeout).
int orch_gloo_receive_wait(void* receive, int64_t timeout, char* error, int capacity) {
  bool received = false;
  auto status = Guard(error, capacity, [&] {
    received = static_cast<Receive*>(receive)->buffer->waitRecv(Milliseconds(timeout));
  });
  return status != 0 ? -1 : received ? 0 : 1;
}

void orch_gloo_receive_abort(void* receive) { static_cast<Receive*>(receive)->buffer->abortWaitRecv(); }

void orch_gloo_receive_free(void* receive) { delete static_cast<Receive*>(receive); }

// The benchmark's baseline: `iterations` float32 sum all-reduces of `count` elements called straight from native
// code; returns the seconds they took in total, or a negative number on failure.
double orch_gloo_time_allreduce(void* context, float* data, int64_t count, int iterations, int64_t timeout,
                                char* error, int capacity) {
  double seconds = -1;
  Guard(error, capacity, [&] {
    auto* c = static_cast<Context*>(context);
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; i++) AllReduceTyped<float>(c, data, count, 0, timeout);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  return seconds;
}

}  // extern "C"
