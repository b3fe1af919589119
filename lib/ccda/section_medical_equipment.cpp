// Medical Equipment Section V2: the entire record. Each Device (implants with their UDI) becomes a
// Non-Medicinal Supply Activity whose product is a Product Instance carrying the UDI.
#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

constexpr std::string_view kFdaUdi = "2.16.840.1.113883.3.3719";

std::string_view udi(const Json& d) {
  if (const Json* carrier = first(d, "udiCarrier")) {
    if (auto hrf = str(*carrier, "carrierHRF"); !hrf.empty()) return hrf;
    if (auto di = str(*carrier, "deviceIdentifier"); !di.empty()) return di;
  }
  return str(d, "distinctIdentifier");
}

// When the device was placed: the Procedure that names it as focal device.
std::string_view placed(Ctx& c, const Json& d) {
  for (const Json* p : c.rec.procedures) {
    if (const Json* focal = array(*p, "focalDevice")) {
      for (const Json& f : *focal) {
        if (c.rec.resolve(member(f, "manipulated")) == &d) {
          if (auto t = str(*p, "performedDateTime"); !t.empty()) return t;
          if (const Json* per = member(*p, "performedPeriod")) return str(*per, "start");
        }
      }
    }
  }
  return {};
}

}  // namespace

void write_product_instance(Ctx& c, const Json& d) {
  XmlWriter& x = c.x;
  x.start("participantRole").attr("classCode", "MANU");
  template_id(x, "2.16.840.1.113883.10.20.22.4.37");
  if (auto u = udi(d); !u.empty()) x.start("id").attr("root", kFdaUdi).attr("extension", u).end();
  else entry_id(c, d);
  x.start("playingDevice");
  write_cd(x, "code", member(d, "type"), {}, "2.16.840.1.113883.6.96");
  x.end();
  x.start("scopingEntity").start("id").attr("root", kFdaUdi).end().end();
  x.end();
}

void medical_equipment_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const Json* d : c.rec.devices) {
    if (str(*d, "status") != "entered-in-error") items.push_back(d);
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.23", "2014-06-09"}},
                         true,
                         "46264-8",
                         "History of medical device use",
                         "Medical Equipment"};
  if (!begin_section(c, spec, items.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("device"));
  x.start("text");
  begin_table(x, {"Device", "UDI", "Placed", "Status"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& d = *items[i];
    begin_row(x, refs[i]);
    cell(x, cc_text(member(d, "type")));
    cell(x, udi(d));
    cell(x, display_time(placed(c, d)));
    cell(x, str(d, "status"));
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& d = *items[i];
    x.start("entry").attr("typeCode", "DRIV");
    x.start("supply").attr("classCode", "SPLY").attr("moodCode", "EVN");
    template_id(x, "2.16.840.1.113883.10.20.22.4.50", "2014-06-09", true);
    entry_id(c, d);
    text_ref(x, refs[i]);
    status_code(x, str(d, "status") == "active" ? "active" : "completed");
    if (auto t = placed(c, d); !t.empty()) {
      x.start("effectiveTime").attr("xsi:type", "IVL_TS");
      write_ts(x, "low", t);
      x.end();
    }
    x.start("participant").attr("typeCode", "PRD");
    write_product_instance(c, d);
    x.end();
    x.end().end();
  }
  end_section(c);
}

}  // namespace ccda::detail
