"""Apache Libcloud's side of bench/libcloud-compare.bench.js: a persistent worker, started once, so
that the interpreter's start-up and libcloud's imports are not counted.

Reads one JSON command a line on stdin and answers one JSON line on stdout:
  {"cmd": "setup", "cloud": "cloudstack"|"openstack"|"ec2", "fleet": [...]}
      builds one libcloud driver per cloud of the fleet (bench/fleet.js's entries), kept and reused
      for every round (libcloud keeps each driver's HTTP connection alive, and an OpenStack driver
      its Keystone token), and a thread pool with one thread per cloud, as a user listing many
      clouds would; answers {"ok": true, "version": libcloud's version}.
  {"cmd": "list"} or {"cmd": "list", "only": N}
      list_nodes() of every cloud at once, one thread per cloud (or of the fleet's Nth only); answers the wall time and this
      process's CPU time (every thread's, time.process_time()) around the listing, how many
      nodes each cloud returned, and how many listings were retried after a connection reset:
      {"ok": true, "wallMs", "cpuMs", "vms": [...], "retries"}.
  {"cmd": "quit"}
Errors answer {"ok": false, "error": "..."}.
"""

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import libcloud
import requests
from libcloud.compute.providers import get_driver
from libcloud.compute.types import Provider


def cloudstack_driver(cloud):
    # libcloud keeps its HTTPS default even for an http:// URL: secure=False.
    cls = get_driver(Provider.CLOUDSTACK)
    return cls(cloud["key"], cloud["secret"], url=cloud["url"] + "/client/api", secure=False)


def openstack_driver(cloud):
    user = cloud["user"]
    cls = get_driver(Provider.OPENSTACK)
    # libcloud 3.4.1 uses the auth URL's path as the token request's whole path when it has one,
    # so a Keystone under a path (the simulator's /identity/v3, devstack's /identity) is given
    # with /auth/tokens.
    return cls(
        user["username"],
        user["password"],
        ex_force_auth_url=cloud["authUrl"] + "/auth/tokens",
        ex_force_auth_version="3.x_password",
        ex_tenant_name=user["project"],
        ex_domain_name=user["domain"],
        ex_force_service_region=cloud["region"],
        secure=False,
    )


def ec2_driver(cloud):
    url = urlparse(cloud["url"])
    cls = get_driver(Provider.EC2)
    # Signature Version 4: libcloud 3.4.1's default for us-east-1 is still version 2.
    return cls(
        cloud["key"],
        cloud["secret"],
        region=cloud["region"],
        host=url.hostname,
        port=url.port,
        secure=False,
        signature_version="4",
    )


DRIVERS = {"cloudstack": cloudstack_driver, "openstack": openstack_driver, "ec2": ec2_driver}


class Worker:
    def __init__(self):
        self.drivers = []
        self.pool = None

    def setup(self, command):
        if self.pool is not None:
            self.pool.shutdown()
        make = DRIVERS[command["cloud"]]
        self.drivers = [make(cloud) for cloud in command["fleet"]]
        self.pool = ThreadPoolExecutor(max_workers=len(self.drivers))
        return {"ok": True, "version": libcloud.__version__}

    def list(self, command):
        retries = []
        only = command.get("only")
        drivers = self.drivers if only is None else [self.drivers[only]]

        def list_nodes(driver):
            try:
                return driver.list_nodes()
            except (requests.exceptions.ConnectionError, ConnectionError):
                # The simulators' HTTP servers (Node's) close a keep-alive connection after 5 s
                # idle; a request sent on it just then is reset. Listed again, on a new connection,
                # inside the measured time; the retries are reported.
                retries.append(1)
                return driver.list_nodes()

        cpu = time.process_time()
        started = time.perf_counter()
        listed = list(self.pool.map(list_nodes, drivers))
        wall = time.perf_counter() - started
        used = time.process_time() - cpu
        return {
            "ok": True,
            "wallMs": wall * 1000,
            "cpuMs": used * 1000,
            "vms": [len(nodes) for nodes in listed],
            "retries": len(retries),
        }


def main():
    worker = Worker()
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        if command["cmd"] == "quit":
            break
        try:
            answer = getattr(worker, command["cmd"])(command)
        except Exception as error:  # noqa: BLE001 - every failure goes back to the benchmark
            answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    if worker.pool is not None:
        worker.pool.shutdown()


if __name__ == "__main__":
    main()
