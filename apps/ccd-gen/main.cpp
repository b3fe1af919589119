// ccd-gen: C-CDA R2.1 Continuity of Care Documents (lib/ccda) for one patient or all of them, from
// a data directory's database or from FHIR NDJSON/Bundle files; as XML, or as HTML through
// cda.xsl. Exit 0 ok, 1 failure (unknown patient, unreadable input, a document that failed),
// 2 usage.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "batch.hpp"
#include "document.hpp"
#include "html.hpp"
#include "options.hpp"
#include "output.hpp"
#include "sources.hpp"

namespace {

using namespace ccdgen;
namespace fs = std::filesystem;

int fail(const std::string& message) {
  std::cerr << "ccd-gen: " << message << "\n";
  return kFailure;
}

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int one_document(const Options& opt, Source& source, const DocumentMaker& maker) {
  auto reader = source.reader();
  if (!reader.ok()) return fail(reader.error().message);
  auto doc = maker.make(**reader, opt.patient);
  if (!doc.ok()) {
    if (doc.error().code == base::ErrorCode::not_found) {
      return fail("no Patient with id '" + opt.patient + "' in " + source.where());
    }
    return fail("patient " + opt.patient + ": " + doc.error().message);
  }
  if (opt.output.empty() || opt.output == "-") {
    auto s = write_stdout(*doc);
    return s.ok() ? kOk : fail(s.error().message);
  }
  const fs::path out(opt.output);
  if (auto s = write_file(out, *doc); !s.ok()) return fail(s.error().message);
  if (opt.with_xsl) {
    const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
    if (auto s = write_file(dir / "cda.xsl", cda_xsl()); !s.ok()) return fail(s.error().message);
  }
  return kOk;
}

int many_documents(const Options& opt, Source& source, const DocumentMaker& maker) {
  // --from without --patient and without -o: one patient's document may go to stdout.
  if (opt.output.empty()) {
    auto count = source.patient_count();
    if (!count.ok()) return fail(count.error().message);
    if (*count != 1) {
      std::cerr << "ccd-gen: " << *count << " patients in " << source.where()
                << ": give --patient ID, or -o OUTDIR for one file each\n";
      return *count == 0 ? kFailure : kUsage;
    }
    auto reader = source.reader();
    if (!reader.ok()) return fail(reader.error().message);
    auto ids = (*reader)->patient_ids("", 1);
    if (!ids.ok() || ids->empty()) return fail("cannot list patients");
    Options single = opt;
    single.patient = ids->front();
    return one_document(single, source, maker);
  }
  const fs::path dir(opt.output);
  if (auto s = make_directory(dir); !s.ok()) return fail(s.error().message);
  if (opt.with_xsl) {
    if (auto s = write_file(dir / "cda.xsl", cda_xsl()); !s.ok()) return fail(s.error().message);
  }
  BatchOptions b;
  b.out_dir = dir;
  b.jobs = opt.jobs > 0 ? opt.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  b.html = opt.html;
  b.progress = !opt.json && ::isatty(STDERR_FILENO) == 1;
  const BatchSummary s = run_batch(source, maker, b);
  const double rate = s.seconds > 0 ? static_cast<double>(s.written) / s.seconds : 0;
  if (opt.json) {
    nlohmann::ordered_json j = {{"written", s.written}, {"failed", s.failed},   {"seconds", s.seconds},
                                {"per_second", rate},   {"jobs", b.jobs},       {"output", dir.string()},
                                {"complete", !s.aborted}};
    std::cout << j.dump() << "\n";
  } else {
    char line[200];
    std::snprintf(line, sizeof line, "ccd-gen: %lld written, %lld failed, %.2f s, %.1f CCDs/s (%d jobs) in %s\n",
                  static_cast<long long>(s.written), static_cast<long long>(s.failed), s.seconds, rate, b.jobs,
                  dir.string().c_str());
    std::cerr << line;
  }
  if (s.written == 0 && s.failed == 0 && !s.aborted) std::cerr << "ccd-gen: no patients in " << source.where() << "\n";
  return s.failed == 0 && !s.aborted ? kOk : kFailure;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (auto code = parse_options(argc, argv, opt)) return *code;

  auto window = ccda::parse_window(opt.start, opt.end);
  if (!window.ok()) {
    std::cerr << "ccd-gen: " << window.error().message << "\n";
    return kUsage;
  }
  DocumentMaker maker;
  maker.window = *window;
  maker.options.now_us = now_us();
  std::unique_ptr<HtmlRenderer> html;
  if (opt.html) {
    auto r = HtmlRenderer::create();
    if (!r.ok()) return fail(r.error().message);
    html = std::move(*r);
    maker.html = html.get();
  }

  auto source = opt.from.empty() ? open_data_dir_source(opt.data_dir) : open_file_source(opt.from);
  if (!source.ok()) return fail(source.error().message);
  return opt.batch() ? many_documents(opt, **source, maker) : one_document(opt, **source, maker);
}
