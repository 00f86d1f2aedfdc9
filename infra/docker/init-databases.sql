-- One database per service (docker-compose); infra/up.sh creates the same ones without Docker.
CREATE DATABASE xueji_enrolment;
CREATE DATABASE xueji_status_change;
CREATE DATABASE xueji_assessment;
CREATE DATABASE xueji_graduation;
CREATE DATABASE xueji_subsidy;
CREATE DATABASE xueji_partners;
