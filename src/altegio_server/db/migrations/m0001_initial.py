"""The whole domain model: chains, locations, team, services, resources, clients, users,
tokens, tags, positions, events and event appointments.

Times are Unix seconds (BIGINT); each location's time zone turns them into wall-clock time.
"""

from __future__ import annotations

from altegio_server.db.migrations import split_ddl

TABLES = """
CREATE TABLE chains (
    id {pk},
    title TEXT NOT NULL
);
CREATE TABLE locations (
    id {pk},
    chain_id BIGINT NOT NULL REFERENCES chains(id),
    title TEXT NOT NULL,
    timezone TEXT NOT NULL,
    default_break INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE positions (
    id {pk},
    chain_id BIGINT NOT NULL REFERENCES chains(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    services_binding_type TEXT NOT NULL DEFAULT 'none',
    rules_required_fields TEXT NOT NULL DEFAULT '[]',
    only_chain_appointment BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE position_locations (
    position_id BIGINT NOT NULL REFERENCES positions(id) ON DELETE CASCADE,
    location_id BIGINT NOT NULL REFERENCES locations(id),
    PRIMARY KEY (position_id, location_id)
);
CREATE INDEX position_locations_by_location ON position_locations (location_id, position_id);
CREATE TABLE staff (
    id {pk},
    location_id BIGINT NOT NULL REFERENCES locations(id),
    name TEXT NOT NULL,
    specialization TEXT NOT NULL DEFAULT '',
    avatar TEXT NOT NULL DEFAULT '',
    avatar_big TEXT NOT NULL DEFAULT '',
    position_id BIGINT REFERENCES positions(id),
    rating DOUBLE PRECISION NOT NULL DEFAULT 0,
    deleted BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX staff_by_location ON staff (location_id);
CREATE INDEX staff_by_position ON staff (position_id);
CREATE TABLE service_categories (
    id {pk},
    location_id BIGINT NOT NULL REFERENCES locations(id),
    title TEXT NOT NULL
);
CREATE TABLE services (
    id {pk},
    location_id BIGINT NOT NULL REFERENCES locations(id),
    category_id BIGINT REFERENCES service_categories(id),
    title TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    image_url TEXT NOT NULL DEFAULT '',
    price_min DOUBLE PRECISION NOT NULL DEFAULT 0,
    price_max DOUBLE PRECISION NOT NULL DEFAULT 0,
    is_group BOOLEAN NOT NULL DEFAULT FALSE,
    capacity INTEGER NOT NULL DEFAULT 1,
    duration INTEGER NOT NULL DEFAULT 3600,
    prepaid TEXT NOT NULL DEFAULT 'forbidden',
    deleted BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX services_by_location ON services (location_id);
CREATE TABLE service_staff (
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    staff_id BIGINT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    length INTEGER NOT NULL DEFAULT 3600,
    PRIMARY KEY (service_id, staff_id)
);
CREATE TABLE resources (
    id {pk},
    location_id BIGINT NOT NULL REFERENCES locations(id),
    title TEXT NOT NULL
);
CREATE TABLE resource_instances (
    id {pk},
    resource_id BIGINT NOT NULL REFERENCES resources(id),
    location_id BIGINT NOT NULL REFERENCES locations(id),
    title TEXT NOT NULL
);
CREATE TABLE service_resources (
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    resource_id BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, resource_id)
);
CREATE TABLE clients (
    id {pk},
    location_id BIGINT NOT NULL REFERENCES locations(id),
    name TEXT NOT NULL DEFAULT '',
    surname TEXT NOT NULL DEFAULT '',
    patronymic TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    gender INTEGER NOT NULL DEFAULT 0,
    birthday TEXT,
    custom_fields TEXT NOT NULL DEFAULT '[]',
    agreements TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX clients_phone_per_location ON clients (location_id, phone) WHERE phone <> '';
CREATE TABLE comers (
    id {pk},
    location_id BIGINT NOT NULL REFERENCES locations(id),
    name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE users (
    id {pk},
    name TEXT NOT NULL DEFAULT '',
    phone TEXT,
    email TEXT,
    avatar TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    is_approved BOOLEAN NOT NULL DEFAULT TRUE,
    is_email_confirmed BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE UNIQUE INDEX users_phone ON users (phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX users_email ON users (email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_token ON users (token_hash);
CREATE TABLE user_locations (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    location_id BIGINT NOT NULL REFERENCES locations(id),
    read_only BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_id, location_id)
);
CREATE TABLE partner_tokens (
    id {pk},
    name TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX partner_tokens_hash ON partner_tokens (token_hash);
CREATE TABLE tags (
    id {pk},
    location_id BIGINT NOT NULL REFERENCES locations(id),
    title TEXT NOT NULL,
    color TEXT NOT NULL,
    icon TEXT NOT NULL DEFAULT '',
    entity INTEGER NOT NULL DEFAULT 0 CHECK (entity BETWEEN 0 AND 3),
    editable BOOLEAN NOT NULL DEFAULT TRUE,
    deleted BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX tags_by_location ON tags (location_id, entity);
CREATE TABLE events (
    id {pk},
    location_id BIGINT NOT NULL REFERENCES locations(id),
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    start_ts BIGINT NOT NULL,
    end_ts BIGINT NOT NULL,
    length INTEGER NOT NULL,
    technical_break INTEGER NOT NULL DEFAULT 0,
    capacity INTEGER NOT NULL,
    clients_count INTEGER NOT NULL DEFAULT 0,
    color TEXT NOT NULL DEFAULT '',
    font_color TEXT NOT NULL DEFAULT '',
    instructions TEXT NOT NULL DEFAULT '',
    stream_link TEXT NOT NULL DEFAULT '',
    comment TEXT,
    notified BOOLEAN NOT NULL DEFAULT FALSE,
    forced BOOLEAN NOT NULL DEFAULT FALSE,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT events_seats CHECK (clients_count >= 0 AND clients_count <= capacity)
);
CREATE INDEX events_by_location_start ON events (location_id, start_ts, id) WHERE deleted = FALSE;
CREATE INDEX events_by_staff_start ON events (staff_id, start_ts) WHERE deleted = FALSE;
CREATE TABLE event_resource_instances (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    resource_instance_id BIGINT NOT NULL REFERENCES resource_instances(id),
    PRIMARY KEY (event_id, resource_instance_id)
);
CREATE INDEX event_resource_instances_by_instance ON event_resource_instances (resource_instance_id, event_id);
CREATE TABLE event_labels (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags(id),
    PRIMARY KEY (event_id, tag_id)
);
CREATE TABLE records (
    id {pk},
    location_id BIGINT NOT NULL REFERENCES locations(id),
    event_id BIGINT NOT NULL REFERENCES events(id),
    client_id BIGINT REFERENCES clients(id),
    comer_id BIGINT REFERENCES comers(id),
    booking_user_id BIGINT NOT NULL DEFAULT 0,
    clients_count INTEGER NOT NULL CHECK (clients_count >= 1),
    attendance INTEGER NOT NULL DEFAULT 0,
    paid_full INTEGER NOT NULL DEFAULT 0,
    comment TEXT NOT NULL DEFAULT '',
    custom_color TEXT NOT NULL DEFAULT '',
    service_item TEXT,
    good_items TEXT NOT NULL DEFAULT '[]',
    external_id TEXT NOT NULL DEFAULT '',
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX records_by_event ON records (event_id, id);
CREATE UNIQUE INDEX records_one_active_per_client ON records (event_id, client_id)
    WHERE deleted = FALSE AND client_id IS NOT NULL;
CREATE TABLE record_labels (
    record_id BIGINT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags(id),
    PRIMARY KEY (record_id, tag_id)
);
"""

def statements(dialect: str) -> list[str]:
    return split_ddl(TABLES, dialect)
