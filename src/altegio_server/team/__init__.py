"""What an event is made of, as a location offers it: team members, services, their
categories and resources with their instances (behaviour 15). Reads in service.py; the
writes of team members, services and categories in changes.py (behaviour 15.6-15.9)."""
