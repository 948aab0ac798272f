#!/usr/bin/env python3
"""A stand-in for a user's own training program, with the Python standard library only.

It shows the contract between a program and the orchestrator (docs/runtime.md):
  * the torchrun-compatible environment: MASTER_ADDR, MASTER_PORT, NODE_RANK, NNODES, WORLD_SIZE, ...
  * a rendezvous of every node over MASTER_ADDR:MASTER_PORT (node rank 0 listens, the others connect), here to sum
    one value per node, as an all-reduce would;
  * progress lines on stdout: "ORCH_PROGRESS step=N loss=X tokens=N";
  * its own checkpoints in ORCH_CHECKPOINT_DIR (the control plane does not manage them), resumed on a new attempt;
  * SIGTERM (preemption, or the attempt is over): save a checkpoint at the step boundary and exit;
  * exit code 0 when every step is done.
"""
import json
import os
import signal
import socket
import sys
import time

RENDEZVOUS_TIMEOUT_S = 60.0


def env_int(name, default=None):
    value = os.environ.get(name)
    if value is None:
        if default is None:
            sys.exit(f"train.py: {name} is not set; run me through the orchestrator (orch run)")
        return default
    return int(value)


def recv_line(conn):
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(64)
        if not chunk:
            raise ConnectionError("peer closed the connection during the rendezvous")
        data += chunk
    return data.decode().strip()


def rendezvous(address, port, node_rank, nnodes, value):
    """Returns the sum of every node's value; node rank 0 gathers and broadcasts it."""
    if nnodes == 1:
        return value
    deadline = time.monotonic() + RENDEZVOUS_TIMEOUT_S
    if node_rank == 0:
        with socket.create_server((address, port)) as server:
            server.settimeout(RENDEZVOUS_TIMEOUT_S)
            peers, total = [], value
            while len(peers) < nnodes - 1:
                conn, _ = server.accept()
                rank, peer_value = map(int, recv_line(conn).split())
                print(f"rendezvous: node rank {rank} joined with {peer_value}", flush=True)
                peers.append(conn)
                total += peer_value
            for conn in peers:
                with conn:
                    conn.sendall(f"{total}\n".encode())
            return total
    while True:
        try:
            with socket.create_connection((address, port), timeout=5) as conn:
                conn.sendall(f"{node_rank} {value}\n".encode())
                return int(recv_line(conn))
        except (ConnectionRefusedError, socket.timeout, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def load_checkpoint(directory):
    try:
        with open(os.path.join(directory, "state.json")) as f:
            return json.load(f)["step"]
    except (OSError, ValueError, KeyError):
        return 0


def save_checkpoint(directory, step):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "state.json")
    with open(path + ".tmp", "w") as f:
        json.dump({"step": step}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(path + ".tmp", path)


class StopRequest:
    """Set by SIGTERM: the orchestrator wants the devices back; finish the step, save, exit."""

    def __init__(self):
        self.requested = False
        signal.signal(signal.SIGTERM, self._handle)

    def _handle(self, signum, frame):
        self.requested = True


def main():
    stop = StopRequest()
    address = os.environ.get("MASTER_ADDR", "127.0.0.1")
    port = env_int("MASTER_PORT")
    node_rank = env_int("NODE_RANK")
    nnodes = env_int("NNODES")
    world = env_int("WORLD_SIZE")
    steps = env_int("ORCH_STEPS")
    global_batch = env_int("ORCH_GLOBAL_BATCH", 8)
    step_seconds = float(os.environ.get("STEP_SECONDS", "0.02"))
    checkpoints = os.environ.get("ORCH_CHECKPOINT_DIR")

    total = rendezvous(address, port, node_rank, nnodes, node_rank + 1)
    expected = nnodes * (nnodes + 1) // 2
    print(f"rendezvous ok: node {node_rank} of {nnodes}, world size {world}, sum of node values {total} "
          f"(expected {expected})", flush=True)
    if total != expected:
        return 1

    start = load_checkpoint(checkpoints) if checkpoints else 0
    if start:
        print(f"resuming from my own checkpoint at step {start}", flush=True)
    for step in range(start + 1, steps + 1):
        time.sleep(step_seconds)
        loss = 4.0 / (1.0 + 0.1 * step)
        print(f"ORCH_PROGRESS step={step} loss={loss:.4f} tokens={global_batch * 128}", flush=True)
        if checkpoints and node_rank == 0 and (step % 10 == 0 or stop.requested):
            save_checkpoint(checkpoints, step)
        if stop.requested:
            print(f"asked to stop: leaving at step {step}" + (" with a checkpoint" if checkpoints else ""), flush=True)
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
