#pragma once
// fhirctl launch create: an EHR launch of a SMART app for a user, patient and optional encounter;
// prints the app's launch URL (initiate_login_uri?iss=<FHIR base>&launch=<single-use value>).
#include <CLI/CLI.hpp>

#include "commands/common.hpp"

namespace fhirctl {

void setup_launch(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace fhirctl
