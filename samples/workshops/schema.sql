--
-- PostgreSQL database dump
--

\restrict sampledump

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: user_role; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.user_role AS ENUM (
    'facilitator',
    'sme',
    'participant'
);


--
-- Name: workshop_phase; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.workshop_phase AS ENUM (
    'intake',
    'discovery',
    'rubric',
    'annotation',
    'results',
    'judge_tuning'
);


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: annotations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.annotations (
    id integer NOT NULL,
    workshop_id integer NOT NULL,
    trace_id integer NOT NULL,
    user_id integer NOT NULL,
    rating integer NOT NULL,
    comment text,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    updated_at timestamp without time zone
);


--
-- Name: annotations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.annotations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: annotations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.annotations_id_seq OWNED BY public.annotations.id;


--
-- Name: discovery_findings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.discovery_findings (
    id integer NOT NULL,
    workshop_id integer NOT NULL,
    trace_id integer NOT NULL,
    user_id integer NOT NULL,
    insight text NOT NULL,
    created_at timestamp without time zone DEFAULT now() NOT NULL
);


--
-- Name: discovery_findings_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.discovery_findings_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: discovery_findings_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.discovery_findings_id_seq OWNED BY public.discovery_findings.id;


--
-- Name: judge_evaluations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.judge_evaluations (
    id integer NOT NULL,
    workshop_id integer NOT NULL,
    prompt_id integer NOT NULL,
    trace_id integer NOT NULL,
    predicted_rating integer,
    human_rating integer,
    confidence double precision,
    reasoning text,
    created_at timestamp without time zone DEFAULT now() NOT NULL
);


--
-- Name: judge_evaluations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.judge_evaluations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: judge_evaluations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.judge_evaluations_id_seq OWNED BY public.judge_evaluations.id;


--
-- Name: judge_prompts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.judge_prompts (
    id integer NOT NULL,
    workshop_id integer NOT NULL,
    prompt_text text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    model_name character varying(255) DEFAULT 'databricks-claude-sonnet-4'::character varying NOT NULL,
    created_at timestamp without time zone DEFAULT now() NOT NULL
);


--
-- Name: judge_prompts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.judge_prompts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: judge_prompts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.judge_prompts_id_seq OWNED BY public.judge_prompts.id;


--
-- Name: participant_notes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.participant_notes (
    id integer NOT NULL,
    workshop_id integer NOT NULL,
    user_id integer NOT NULL,
    trace_id integer,
    content text NOT NULL,
    phase character varying(50) DEFAULT 'discovery'::character varying NOT NULL,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    updated_at timestamp without time zone
);


--
-- Name: participant_notes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.participant_notes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: participant_notes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.participant_notes_id_seq OWNED BY public.participant_notes.id;


--
-- Name: traces; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.traces (
    id integer NOT NULL,
    workshop_id integer NOT NULL,
    input text NOT NULL,
    output text NOT NULL,
    context jsonb,
    trace_metadata jsonb,
    mlflow_trace_id character varying(255),
    mlflow_url character varying(512),
    mlflow_experiment_id character varying(255),
    include_in_alignment boolean DEFAULT true NOT NULL,
    sme_feedback text,
    created_at timestamp without time zone DEFAULT now() NOT NULL
);


--
-- Name: traces_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.traces_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: traces_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.traces_id_seq OWNED BY public.traces.id;


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id integer NOT NULL,
    email character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    role public.user_role DEFAULT 'participant'::public.user_role NOT NULL,
    password_hash character varying(255),
    status character varying(50) DEFAULT 'active'::character varying NOT NULL,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    last_active timestamp without time zone
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: workshop_participants; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workshop_participants (
    id integer NOT NULL,
    user_id integer NOT NULL,
    workshop_id integer NOT NULL,
    role public.user_role DEFAULT 'participant'::public.user_role NOT NULL,
    assigned_traces json DEFAULT '[]'::json,
    annotation_quota integer,
    joined_at timestamp without time zone DEFAULT now() NOT NULL
);


--
-- Name: workshop_participants_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.workshop_participants_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: workshop_participants_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.workshop_participants_id_seq OWNED BY public.workshop_participants.id;


--
-- Name: workshops; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workshops (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    description text,
    facilitator_id integer NOT NULL,
    status character varying(50) DEFAULT 'active'::character varying NOT NULL,
    current_phase public.workshop_phase DEFAULT 'intake'::public.workshop_phase NOT NULL,
    discovery_started boolean DEFAULT false NOT NULL,
    annotation_started boolean DEFAULT false NOT NULL,
    active_discovery_trace_ids json DEFAULT '[]'::json,
    active_annotation_trace_ids json DEFAULT '[]'::json,
    judge_name character varying(255) DEFAULT 'workshop_judge'::character varying,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    updated_at timestamp without time zone
);


--
-- Name: workshops_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.workshops_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: workshops_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.workshops_id_seq OWNED BY public.workshops.id;


--
-- Name: annotations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.annotations ALTER COLUMN id SET DEFAULT nextval('public.annotations_id_seq'::regclass);


--
-- Name: discovery_findings id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discovery_findings ALTER COLUMN id SET DEFAULT nextval('public.discovery_findings_id_seq'::regclass);


--
-- Name: judge_evaluations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.judge_evaluations ALTER COLUMN id SET DEFAULT nextval('public.judge_evaluations_id_seq'::regclass);


--
-- Name: judge_prompts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.judge_prompts ALTER COLUMN id SET DEFAULT nextval('public.judge_prompts_id_seq'::regclass);


--
-- Name: participant_notes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participant_notes ALTER COLUMN id SET DEFAULT nextval('public.participant_notes_id_seq'::regclass);


--
-- Name: traces id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.traces ALTER COLUMN id SET DEFAULT nextval('public.traces_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Name: workshop_participants id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_participants ALTER COLUMN id SET DEFAULT nextval('public.workshop_participants_id_seq'::regclass);


--
-- Name: workshops id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshops ALTER COLUMN id SET DEFAULT nextval('public.workshops_id_seq'::regclass);


--
-- Name: annotations annotations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.annotations
    ADD CONSTRAINT annotations_pkey PRIMARY KEY (id);


--
-- Name: discovery_findings discovery_findings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discovery_findings
    ADD CONSTRAINT discovery_findings_pkey PRIMARY KEY (id);


--
-- Name: judge_evaluations judge_evaluations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.judge_evaluations
    ADD CONSTRAINT judge_evaluations_pkey PRIMARY KEY (id);


--
-- Name: judge_prompts judge_prompts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.judge_prompts
    ADD CONSTRAINT judge_prompts_pkey PRIMARY KEY (id);


--
-- Name: participant_notes participant_notes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participant_notes
    ADD CONSTRAINT participant_notes_pkey PRIMARY KEY (id);


--
-- Name: traces traces_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.traces
    ADD CONSTRAINT traces_pkey PRIMARY KEY (id);


--
-- Name: workshop_participants uq_workshop_participants_workshop_user; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_participants
    ADD CONSTRAINT uq_workshop_participants_workshop_user UNIQUE (workshop_id, user_id);


--
-- Name: users users_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_email_key UNIQUE (email);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: workshop_participants workshop_participants_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_participants
    ADD CONSTRAINT workshop_participants_pkey PRIMARY KEY (id);


--
-- Name: workshops workshops_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshops
    ADD CONSTRAINT workshops_pkey PRIMARY KEY (id);


--
-- Name: ix_judge_prompts_workshop_id_version; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_judge_prompts_workshop_id_version ON public.judge_prompts USING btree (workshop_id, version);


--
-- Name: ix_participant_notes_workshop_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_participant_notes_workshop_id ON public.participant_notes USING btree (workshop_id);


--
-- Name: ix_participant_notes_workshop_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_participant_notes_workshop_user ON public.participant_notes USING btree (workshop_id, user_id);


--
-- Name: ix_traces_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_traces_created_at ON public.traces USING btree (created_at);


--
-- Name: ix_traces_mlflow_trace_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_traces_mlflow_trace_id ON public.traces USING btree (mlflow_trace_id);


--
-- Name: ix_users_email; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_users_email ON public.users USING btree (email);


--
-- Name: ix_workshop_participants_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_workshop_participants_user_id ON public.workshop_participants USING btree (user_id);


--
-- Name: annotations annotations_trace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.annotations
    ADD CONSTRAINT annotations_trace_id_fkey FOREIGN KEY (trace_id) REFERENCES public.traces(id) ON DELETE CASCADE;


--
-- Name: annotations annotations_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.annotations
    ADD CONSTRAINT annotations_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: annotations annotations_workshop_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.annotations
    ADD CONSTRAINT annotations_workshop_id_fkey FOREIGN KEY (workshop_id) REFERENCES public.workshops(id) ON DELETE CASCADE;


--
-- Name: discovery_findings discovery_findings_trace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discovery_findings
    ADD CONSTRAINT discovery_findings_trace_id_fkey FOREIGN KEY (trace_id) REFERENCES public.traces(id) ON DELETE CASCADE;


--
-- Name: discovery_findings discovery_findings_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discovery_findings
    ADD CONSTRAINT discovery_findings_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: discovery_findings discovery_findings_workshop_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discovery_findings
    ADD CONSTRAINT discovery_findings_workshop_id_fkey FOREIGN KEY (workshop_id) REFERENCES public.workshops(id) ON DELETE CASCADE;


--
-- Name: judge_evaluations judge_evaluations_prompt_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.judge_evaluations
    ADD CONSTRAINT judge_evaluations_prompt_id_fkey FOREIGN KEY (prompt_id) REFERENCES public.judge_prompts(id) ON DELETE CASCADE;


--
-- Name: judge_evaluations judge_evaluations_trace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.judge_evaluations
    ADD CONSTRAINT judge_evaluations_trace_id_fkey FOREIGN KEY (trace_id) REFERENCES public.traces(id) ON DELETE CASCADE;


--
-- Name: judge_evaluations judge_evaluations_workshop_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.judge_evaluations
    ADD CONSTRAINT judge_evaluations_workshop_id_fkey FOREIGN KEY (workshop_id) REFERENCES public.workshops(id) ON DELETE CASCADE;


--
-- Name: judge_prompts judge_prompts_workshop_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.judge_prompts
    ADD CONSTRAINT judge_prompts_workshop_id_fkey FOREIGN KEY (workshop_id) REFERENCES public.workshops(id) ON DELETE CASCADE;


--
-- Name: participant_notes participant_notes_trace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participant_notes
    ADD CONSTRAINT participant_notes_trace_id_fkey FOREIGN KEY (trace_id) REFERENCES public.traces(id) ON DELETE SET NULL;


--
-- Name: participant_notes participant_notes_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participant_notes
    ADD CONSTRAINT participant_notes_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: participant_notes participant_notes_workshop_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participant_notes
    ADD CONSTRAINT participant_notes_workshop_id_fkey FOREIGN KEY (workshop_id) REFERENCES public.workshops(id) ON DELETE CASCADE;


--
-- Name: traces traces_workshop_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.traces
    ADD CONSTRAINT traces_workshop_id_fkey FOREIGN KEY (workshop_id) REFERENCES public.workshops(id) ON DELETE CASCADE;


--
-- Name: workshop_participants workshop_participants_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_participants
    ADD CONSTRAINT workshop_participants_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: workshop_participants workshop_participants_workshop_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshop_participants
    ADD CONSTRAINT workshop_participants_workshop_id_fkey FOREIGN KEY (workshop_id) REFERENCES public.workshops(id) ON DELETE CASCADE;


--
-- Name: workshops workshops_facilitator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workshops
    ADD CONSTRAINT workshops_facilitator_id_fkey FOREIGN KEY (facilitator_id) REFERENCES public.users(id);


--
-- PostgreSQL database dump complete
--

\unrestrict sampledump

