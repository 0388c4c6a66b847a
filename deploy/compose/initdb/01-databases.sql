-- One database per service (no service reads another's).
CREATE DATABASE registry;
CREATE DATABASE certificates;
CREATE DATABASE catalog;
CREATE DATABASE billing;
CREATE DATABASE notifications;
CREATE DATABASE gateway;

