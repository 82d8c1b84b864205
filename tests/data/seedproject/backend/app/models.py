"""The seed project's SQLAlchemy models (backend/app/models.py in its migration guide), as written there:
employees and schedules, soft delete (is_deleted, deleted_at) and Python-side timestamps."""
import enum
from datetime import datetime

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


# The guide's enum values. Its columns are plain String (VARCHAR); these name the allowed values.
class ScheduleType(str, enum.Enum):
    VISIT = "visit"
    MEETING = "meeting"
    TRAINING = "training"
    REPORT = "report"
    OTHER = "other"


class ScheduleStatus(str, enum.Enum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Priority(str, enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Employee(Base):
    __tablename__ = "employees"

    employee_id = Column(Integer, primary_key=True, index=True)
    email = Column(String, unique=True, index=True, nullable=False)
    username = Column(String, unique=True, index=True, nullable=False)
    password = Column(String, nullable=False)
    name = Column(String, nullable=False)
    role = Column(String, nullable=False)  # admin/user

    is_active = Column(Boolean, default=True)
    is_deleted = Column(Boolean, default=False)  # soft delete
    deleted_at = Column(DateTime, nullable=True)
    created_at = Column(DateTime, default=datetime.utcnow)

    schedules = relationship("Schedule", back_populates="employee")


class Schedule(Base):
    __tablename__ = "schedules"

    schedule_id = Column(Integer, primary_key=True, index=True)
    employee_id = Column(Integer, ForeignKey("employees.employee_id"), nullable=False)

    schedule_type = Column(String, nullable=False)  # visit/meeting/training/report/other
    title = Column(String, nullable=False)
    description = Column(Text)

    schedule_date = Column(Date, nullable=False)
    start_time = Column(Time)
    end_time = Column(Time)

    location = Column(String)
    client_name = Column(String)
    client_contact = Column(String)
    purpose = Column(Text)

    status = Column(String, default=ScheduleStatus.SCHEDULED.value)  # scheduled/in_progress/completed/cancelled
    priority = Column(String, default=Priority.MEDIUM.value)  # high/medium/low

    result = Column(Text)
    follow_up = Column(Text)

    reminder = Column(Boolean, default=False)
    reminder_time = Column(DateTime)

    created_at = Column(DateTime, default=datetime.utcnow)
    updated_at = Column(DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)
    is_deleted = Column(Boolean, default=False)
    deleted_at = Column(DateTime)

    employee = relationship("Employee", back_populates="schedules")
