// bench/httplib_floor: the floor under fhir-serve's reads. A bare cpp-httplib server (Debian's
// libcpp-httplib) that answers every GET with the same bytes from memory, set up as fhir-serve sets
// up its server (TCP_NODELAY, a large keep-alive count, a thread pool larger than the connections),
// with no routing, no database, no logging. Whatever fhir-serve cannot beat, this shows.
// Usage: httplib_floor FILE PORT [THREADS]   (listens on 127.0.0.1)
#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: httplib_floor FILE PORT [THREADS]\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    std::cerr << "httplib_floor: cannot read " << argv[1] << "\n";
    return 1;
  }
  const int threads = argc > 3 ? std::atoi(argv[3]) : 256;
  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000000);
  server.Get(".*", [&body](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, "application/fhir+json");
  });
  if (!server.listen("127.0.0.1", std::atoi(argv[2]))) {
    std::cerr << "httplib_floor: cannot listen on port " << argv[2] << "\n";
    return 1;
  }
  return 0;
}
